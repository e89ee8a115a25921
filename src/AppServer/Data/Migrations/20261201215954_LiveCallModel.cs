using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AppServer.Data.Migrations
{
    /// <inheritdoc />
    public partial class LiveCallModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "Transfers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OutcomeDetail",
                table: "Transfers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetCallSid",
                table: "Transfers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AnsweredAt",
                table: "Calls",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CustomerCallSid",
                table: "Calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "JoinedRoomAt",
                table: "Calls",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Room",
                table: "Calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RoomRole",
                table: "Calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CustomerCallSid",
                table: "Calls",
                column: "CustomerCallSid");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Room",
                table: "Calls",
                column: "Room");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_CustomerCallSid",
                table: "Calls");

            migrationBuilder.DropIndex(
                name: "IX_Calls_Room",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "Transfers");

            migrationBuilder.DropColumn(
                name: "OutcomeDetail",
                table: "Transfers");

            migrationBuilder.DropColumn(
                name: "TargetCallSid",
                table: "Transfers");

            migrationBuilder.DropColumn(
                name: "AnsweredAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "CustomerCallSid",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "JoinedRoomAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "Room",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "RoomRole",
                table: "Calls");
        }
    }
}
