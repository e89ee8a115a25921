using System.Net;
using System.Net.Http.Json;
using AppServer.Calls;
using AppServer.Data;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Transfers;

/// <summary>An error that is not CallAPI's (a bug, the database) still ends the transfer and answers problem+json.</summary>
public class UnexpectedFailureTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    [Fact]
    public async Task An_unexpected_error_finishes_the_transfer_failed_and_answers_a_500_problem()
    {
        var sid = await app.SeedCallAsync();
        // A real database failure: the write that records the call's new agent, after the platform carried out the modification.
        await ExecuteSqlAsync("CREATE TRIGGER fail_agent_update BEFORE UPDATE ON Calls " +
                              $"WHEN NEW.CallSid = '{sid}' AND NEW.Agent IS NOT OLD.Agent " +
                              "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
        HttpResponseMessage response;
        try
        {
            response = await app.Agent.PostAsJsonAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });
        }
        finally
        {
            await ExecuteSqlAsync("DROP TRIGGER fail_agent_update;");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await ProblemAssert.ReadProblemAsync(response);
        Assert.Contains("SqliteException", problem.Detail);
        Assert.NotNull(problem.TransferId);
        var transfer = await app.GetTransferAsync(problem.TransferId);
        Assert.Equal("failed", transfer.State); // not left pending, blocking the call
        Assert.Contains("disk on fire", transfer.FailureReason);
        Assert.Single(transfer.Requests); // the modification the platform did carry out is on record
        Assert.Equal(HttpStatusCode.OK, (await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" })).StatusCode);
    }

    private Task<int> ExecuteSqlAsync(string sql) => app.Factory.QueryDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(sql));
}
