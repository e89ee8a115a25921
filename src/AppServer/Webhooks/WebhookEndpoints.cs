using AppServer.Agents;
using AppServer.Calls.Store;
using AppServer.Legs;
using AppServer.Rcml;
using AppServer.Telemetry;
using Microsoft.Extensions.Options;

namespace AppServer.Webhooks;

/// <summary>The platform's callbacks: GET (query) or POST (form), each answered with RCML.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("")
            .WithWebhookTelemetry() // outermost: counts the refusals of the filters below too
            .RequireWebhookAuthentication()
            .ValidateWebhookParameters()
            .WithTags("Webhooks")
            .DisableAntiforgery();

        webhooks.MapGetAndPost(RcmlPaths.Incoming, Incoming).WithName("IncomingCall").WithPlatformFields(PlatformFields.Incoming)
            .WithSummary("Incoming call webhook")
            .WithDescription("Stores the call (upsert by CallSid) and answers the RCML that dials the agent of the called "
                + "number (Numbers), or an apology when none. 400 names a bad parameter; nothing is stored then.");
        webhooks.MapGetAndPost(RcmlPaths.Status, Status).WithName("StatusCallback").WithPlatformFields(PlatformFields.Status)
            .WithSummary("Status callback of a call or leg")
            .WithDescription("Updates the stored call (status never goes backwards, parameters merged); a dialled or created "
                + "leg's progress decides its transfer's outcome. Answers an empty <Response/>.");
        webhooks.MapGetAndPost(RcmlPaths.DialAction, DialAction).WithName("DialAction").WithPlatformFields(PlatformFields.DialAction)
            .WithSummary("A Dial's outcome")
            .WithDescription("Records how the Dial ended (DialCallStatus) and answers the follow-up RCML, e.g. an apology "
                + "when the agent did not answer.");
        return app;
    }

    private static async Task<RcmlResult> Incoming(PlatformRequest request, CallStore calls, IOptionsMonitor<NumbersOptions> numbers,
        AgentDirectory agents, RcmlResponses rcml, CancellationToken ct)
    {
        var data = request.CallData;
        agents.TryFind(numbers.CurrentValue.Find(data.Get("To"))?.Agent, out var agent);
        var call = await calls.RecordWebhookAsync(data, call => call.Agent ??= agent?.Name, ct);
        return agent is null ? rcml.NoAgentForNumber(data.Get("To")) : rcml.DialAgentForIncomingCall(agent, call.From, data.Get("To"));
    }

    /// <summary>A call's status, or a dialled or created leg's progress (the agent and transfer it serves are in the URL).</summary>
    private static async Task<RcmlResult> Status(PlatformRequest request, CallStore calls, LegProgress legs, RcmlResponses rcml,
        CancellationToken ct)
    {
        var agent = legs.AgentNamed(request.Get(RcmlUrls.AgentParameter));
        var leg = await calls.RecordWebhookAsync(request.CallData, agent is null ? null : c => c.Agent ??= agent, ct);
        await legs.OnStatusAsync(leg, request.CallData, request.TransferId, ct);
        return rcml.Empty();
    }

    private static async Task<RcmlResult> DialAction(PlatformRequest request, CallStore calls, LegProgress legs, RcmlResponses rcml,
        CancellationToken ct)
    {
        var data = request.CallData;
        await calls.RecordWebhookAsync(data, null, ct);
        await legs.OnDialActionAsync(data, request.TransferId, ct);
        return rcml.AfterDial(data.Get("DialCallStatus"));
    }
}
