using AppServer.Agents;
using AppServer.Calls;
using AppServer.Rcml;
using Microsoft.Extensions.Options;

namespace AppServer.Webhooks;

/// <summary>The platform's callbacks: GET (query) or POST (form), each answered with RCML.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("")
            .RequireWebhookAuthentication()
            .ValidateWebhookParameters()
            .WithTags("Webhooks")
            .DisableAntiforgery();

        webhooks.MapGetAndPost(RcmlPaths.Incoming, Incoming).WithName("IncomingCall");
        webhooks.MapGetAndPost(RcmlPaths.Status, Status).WithName("StatusCallback");
        webhooks.MapGetAndPost(RcmlPaths.DialAction, DialAction).WithName("DialAction");
        return app;
    }

    private static async Task<RcmlResult> Incoming(HttpContext http, CallStore calls, IOptionsMonitor<NumbersOptions> numbers,
        AgentDirectory agents, RcmlResponses rcml, CancellationToken ct)
    {
        var data = http.WebhookData();
        agents.TryFind(numbers.CurrentValue.Find(data.Get("To"))?.Agent, out var agent);
        var call = await calls.RecordWebhookAsync(data, call => call.Agent ??= agent?.Name, ct);
        return agent is null ? rcml.NoAgentForNumber(data.Get("To")) : rcml.DialAgentForIncomingCall(agent, call.From, data.Get("To"));
    }

    private static async Task<RcmlResult> Status(HttpContext http, CallStore calls, RcmlResponses rcml, CancellationToken ct)
    {
        await calls.RecordWebhookAsync(http.WebhookData(), null, ct);
        return rcml.Empty();
    }

    private static async Task<RcmlResult> DialAction(HttpContext http, CallStore calls, RcmlResponses rcml, CancellationToken ct)
    {
        var data = http.WebhookData();
        await calls.RecordWebhookAsync(data, null, ct);
        return rcml.AfterDial(data.Get("DialCallStatus"));
    }
}
