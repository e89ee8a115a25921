using System.Net;
using System.Net.Http.Json;
using AppServer.Calls;
using AppServer.Data;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Transfers;

/// <summary>An error that is not CallAPI's (a bug, the database) still ends the transfer and answers problem+json.</summary>
public abstract class UnexpectedFailureTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : CallApiFixture
{
    /// <summary>SQL making the database refuse to change the call's agent with "disk on fire".</summary>
    protected abstract string FailAgentUpdate(string callSid);

    protected abstract string StopFailing { get; }

    /// <summary>The database error's type, as the problem's detail names it.</summary>
    protected abstract string ErrorType { get; }

    [Fact]
    public async Task An_unexpected_error_finishes_the_transfer_failed_and_answers_a_500_problem()
    {
        var sid = await app.SeedCallAsync();
        // A real database failure: the write that records the call's new agent, after the platform carried out the modification.
        await ExecuteSqlAsync(FailAgentUpdate(sid));
        HttpResponseMessage response;
        try
        {
            response = await app.Agent.PostAsJsonAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });
        }
        finally
        {
            await ExecuteSqlAsync(StopFailing);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await ProblemAssert.ReadProblemAsync(response);
        Assert.Contains(ErrorType, problem.Detail);
        Assert.NotNull(problem.TransferId);
        var transfer = await app.GetTransferAsync(problem.TransferId);
        Assert.Equal("failed", transfer.State); // not left pending, blocking the call
        Assert.Contains("disk on fire", transfer.FailureReason);
        Assert.Single(transfer.Requests); // the modification the platform did carry out is on record
        Assert.Equal(HttpStatusCode.OK, (await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" })).StatusCode);
    }

    private Task<int> ExecuteSqlAsync(string sql) => app.Factory.QueryDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(sql));
}

public sealed class SqliteUnexpectedFailureTests(CallApiFixture app) : UnexpectedFailureTests<CallApiFixture>(app)
{
    protected override string FailAgentUpdate(string callSid) =>
        "CREATE TRIGGER fail_agent_update BEFORE UPDATE ON Calls " +
        $"WHEN NEW.CallSid = '{callSid}' AND NEW.Agent IS NOT OLD.Agent " +
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;";

    protected override string StopFailing => "DROP TRIGGER fail_agent_update;";

    protected override string ErrorType => "SqliteException";
}

public sealed class PostgreSqlUnexpectedFailureTests(PostgresCallApiFixture app) : UnexpectedFailureTests<PostgresCallApiFixture>(app)
{
    protected override string FailAgentUpdate(string callSid) =>
        "CREATE FUNCTION fail_agent_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
        $"IF NEW.\"CallSid\" = '{callSid}' AND NEW.\"Agent\" IS DISTINCT FROM OLD.\"Agent\" THEN RAISE EXCEPTION 'disk on fire'; END IF; " +
        "RETURN NEW; END $$; " +
        "CREATE TRIGGER fail_agent_update BEFORE UPDATE ON \"Calls\" FOR EACH ROW EXECUTE FUNCTION fail_agent_update();";

    protected override string StopFailing => "DROP TRIGGER fail_agent_update ON \"Calls\"; DROP FUNCTION fail_agent_update();";

    protected override string ErrorType => "PostgresException";
}
