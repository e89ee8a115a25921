using AppServer.Agents;
using AppServer.Security;

namespace AppServer.AgentConsole;

/// <summary>Who the agent key belongs to: an agent's own key names them; a shared one is "unnamed".</summary>
public sealed record AgentSession(string Name, bool Named);

/// <summary>One agent the console offers as a transfer target.</summary>
public sealed record AgentEntry(string Name, string Address);

/// <summary>The agent API routes only the console needs: the live call stream and the transfer picker's agent list.</summary>
public static class AgentConsoleEndpoints
{
    public static IEndpointRouteBuilder MapAgentConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        // The stream authenticates like every agent route, with the X-Api-Key header: the page reads it with
        // fetch() streaming rather than EventSource (which cannot send headers), so the key never travels in a
        // URL, where access logs, proxies and browser history would keep it.
        var console = app.MapGroup("").RequireAgentApiKey().WithTags("Agent console");
        console.MapGet("/calls/events", CallEventStream.Open).WithName("CallEvents")
            .Produces<CallEvent>(StatusCodes.Status200OK, "text/event-stream")
            .WithSummary("Live call events (Server-Sent Events)")
            .WithDescription("A snapshot of the calls, then each call again whenever it or its transfers change; a ping keeps "
                + "the stream open. Read it with fetch so the key travels in the X-Api-Key header.");
        console.MapGet("/agents", ListAgents).WithName("ListAgents")
            .WithSummary("List the agents")
            .WithDescription("The Agents section: each name with its address, as the console's transfer picker offers them.");
        console.MapGet("/me", Me).WithName("CurrentAgent")
            .WithSummary("Who is signed in")
            .WithDescription(
                "The agent an own key (AppServer:AgentKeys) belongs to, or \"unnamed\" for a shared key (AppServer:ApiKeys).");
        return app;
    }

    private static Ok<AgentSession> Me(CurrentAgent agent)
    {
        var name = agent.Name ?? CurrentAgent.Unnamed;
        return TypedResults.Ok(new AgentSession(name, name != CurrentAgent.Unnamed));
    }

    private static Ok<IReadOnlyList<AgentEntry>> ListAgents(AgentDirectory agents) =>
        TypedResults.Ok<IReadOnlyList<AgentEntry>>(agents.All.Select(a => new AgentEntry(a.Name, a.Address.ToString())).ToList());
}
