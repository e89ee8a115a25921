using AppServer.Agents;
using AppServer.Calls;
using AppServer.Rcml;
using Microsoft.Extensions.Options;

namespace AppServer.Webhooks;

/// <summary>The platform's callbacks: GET (query) or POST (form), each answered with RCML.</summary>
public static class WebhookEndpoints
{
    private static readonly string[] GetAndPost = [HttpMethods.Get, HttpMethods.Post];

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("")
            .RequireWebhookAuthentication()
            .ValidateWebhookParameters()
            .WithTags("Webhooks")
            .DisableAntiforgery();

        webhooks.MapMethods("/incoming", GetAndPost, Incoming).WithName("IncomingCall");
        webhooks.MapMethods("/status", GetAndPost, Status).WithName("StatusCallback");
        webhooks.MapMethods("/dial-action", GetAndPost, DialAction).WithName("DialAction");
        return app;
    }

    private static async Task<RcmlResult> Incoming(HttpContext http, CallStore calls, IOptionsMonitor<NumbersOptions> numbers,
        AgentDirectory agents, IncomingCallRcml rcml, CancellationToken ct)
    {
        var data = http.WebhookData();
        agents.TryFind(numbers.CurrentValue.Find(data.Get("To"))?.Agent, out var agent);
        var call = await calls.RecordWebhookAsync(data, call => call.Agent ??= agent?.Name, ct);
        return agent is null ? rcml.NotInService() : rcml.DialAgent(agent, call.From);
    }

    private static async Task<RcmlResult> Status(HttpContext http, CallStore calls, CancellationToken ct)
    {
        await calls.RecordWebhookAsync(http.WebhookData(), null, ct);
        return IncomingCallRcml.Empty();
    }

    private static async Task<RcmlResult> DialAction(HttpContext http, CallStore calls, IncomingCallRcml rcml, CancellationToken ct)
    {
        var data = http.WebhookData();
        await calls.RecordWebhookAsync(data, null, ct);
        return rcml.AfterDial(data.Get("DialCallStatus"));
    }
}
