using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AppServer.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActionOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Actions store why they failed (FailureKind) instead of the HTTP answer, which the endpoints now derive.
            migrationBuilder.AddColumn<string>(name: "FailureKind", table: "Transfers", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "LockedCallSid", table: "Transfers", type: "TEXT", nullable: true);
            migrationBuilder.RenameColumn(name: "AnswerDetail", table: "Transfers", newName: "FailureDetail");
            migrationBuilder.Sql("""
                UPDATE "Transfers" SET "FailureKind" = CASE
                    WHEN "AnswerStatus" = 504 THEN 'PlatformTimeout'
                    WHEN "AnswerTitle" = 'CallAPI unreachable' THEN 'PlatformUnreachable'
                    WHEN "AnswerTitle" = 'CallAPI answered malformed JSON' THEN 'PlatformMalformed'
                    WHEN "AnswerTitle" = 'CallAPI credentials rejected' THEN 'CredentialsRejected'
                    WHEN "AnswerTitle" = 'Request abandoned' THEN 'Abandoned'
                    WHEN "AnswerStatus" = 409 THEN 'CallGone'
                    WHEN "AnswerStatus" = 404 THEN 'CallUnknown'
                    WHEN "AnswerStatus" = 500 THEN 'Internal'
                    ELSE 'PlatformRefused' END
                WHERE "State" = 'failed';
                UPDATE "Transfers" SET "State" = 'failed', "FailureKind" = 'Abandoned',
                    "FailureDetail" = 'This action never finished (the process handling it stopped); see its CallAPI requests.'
                WHERE "State" = 'pending';
                """);
            migrationBuilder.DropColumn(name: "AnswerStatus", table: "Transfers");
            migrationBuilder.DropColumn(name: "AnswerTitle", table: "Transfers");
            migrationBuilder.CreateIndex(name: "IX_Transfers_LockedCallSid", table: "Transfers", column: "LockedCallSid", unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Transfers_LockedCallSid", table: "Transfers");
            migrationBuilder.AddColumn<int>(name: "AnswerStatus", table: "Transfers", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<string>(name: "AnswerTitle", table: "Transfers", type: "TEXT", nullable: true);
            migrationBuilder.RenameColumn(name: "FailureDetail", table: "Transfers", newName: "AnswerDetail");
            migrationBuilder.DropColumn(name: "LockedCallSid", table: "Transfers");
            migrationBuilder.DropColumn(name: "FailureKind", table: "Transfers");
        }
    }
}
