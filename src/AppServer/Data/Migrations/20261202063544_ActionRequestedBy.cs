using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AppServer.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActionRequestedBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequestedBy",
                table: "Transfers",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RequestedBy",
                table: "Transfers");
        }
    }
}
