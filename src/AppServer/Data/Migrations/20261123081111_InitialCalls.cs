using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AppServer.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Calls",
                columns: table => new
                {
                    CallSid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AccountSid = table.Column<string>(type: "TEXT", nullable: true),
                    From = table.Column<string>(type: "TEXT", nullable: true),
                    To = table.Column<string>(type: "TEXT", nullable: true),
                    Direction = table.Column<string>(type: "TEXT", nullable: true),
                    CallStatus = table.Column<string>(type: "TEXT", nullable: true),
                    ForwardedFrom = table.Column<string>(type: "TEXT", nullable: true),
                    CallerName = table.Column<string>(type: "TEXT", nullable: true),
                    ParentCallSid = table.Column<string>(type: "TEXT", nullable: true),
                    Agent = table.Column<string>(type: "TEXT", nullable: true),
                    Muted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Parameters = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Duration = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Calls", x => x.CallSid);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CallStatus",
                table: "Calls",
                column: "CallStatus");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CreatedAt",
                table: "Calls",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Calls");
        }
    }
}
