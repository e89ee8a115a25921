using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AppServer.Calls;
using AppServer.Data;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Transfers;

/// <summary>An error that is not CallAPI's (a bug, the database) still ends the transfer and answers problem+json.</summary>
public class UnexpectedFailureTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    /// <summary>Fails the write that records the call's new agent after a cold transfer's modification succeeded.</summary>
    private sealed class FailAgentUpdate(string callSid) : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<Call>().Any(e =>
                    e.Entity.CallSid == callSid && e.State == EntityState.Modified && e.Property(c => c.Agent).IsModified))
                throw new InvalidOperationException("disk on fire");
            return base.SavingChangesAsync(eventData, result, ct);
        }
    }

    [Fact]
    public async Task An_unexpected_error_finishes_the_transfer_failed_and_answers_a_500_problem()
    {
        var sid = await app.SeedCallAsync();
        await using var faulty = app.Factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
            services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(new FailAgentUpdate(sid)))));
        using var agent = faulty.CreateClient();
        agent.DefaultRequestHeaders.Add("X-Api-Key", AppServerFactory.ApiKey);

        var response = await agent.PostAsJsonAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("InvalidOperationException", problem.GetProperty("detail").GetString());
        var transfer = await app.GetTransferAsync(problem.GetProperty("transferId").GetString()!);
        Assert.Equal("failed", transfer.GetProperty("state").GetString()); // not left pending, blocking the call
        Assert.Contains("disk on fire", transfer.GetProperty("failureReason").GetString());
        Assert.Single(transfer.GetProperty("requests").EnumerateArray()); // the modification the platform did carry out is on record
        Assert.Equal(HttpStatusCode.OK, (await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" })).StatusCode);
    }
}
