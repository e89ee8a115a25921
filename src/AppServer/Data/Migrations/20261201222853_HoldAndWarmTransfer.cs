using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AppServer.Data.Migrations
{
    /// <inheritdoc />
    public partial class HoldAndWarmTransfer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgentCallSid",
                table: "Transfers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "HeldAt",
                table: "Calls",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OnHold",
                table: "Calls",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AgentCallSid",
                table: "Transfers");

            migrationBuilder.DropColumn(
                name: "HeldAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "OnHold",
                table: "Calls");
        }
    }
}
