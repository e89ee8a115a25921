using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AppServer.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class LiveCallModelAndCallControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgentCallSid",
                table: "Transfers",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HeldAt",
                table: "Calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OnHold",
                table: "Calls",
                type: "boolean",
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
