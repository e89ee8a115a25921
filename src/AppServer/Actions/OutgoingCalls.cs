using AppServer.Agents;
using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Rcml;
using Microsoft.Extensions.Options;

namespace AppServer.Actions;

/// <summary>The calls actions create (agent call-backs, invited participants), all reporting their progress to /status.</summary>
public sealed class OutgoingCalls(RcmlUrls rcml, IOptionsMonitor<CallApiOptions> callApi)
{
    /// <summary>Progress events asked for on calls we create, so /status follows them from the start (not only their end).</summary>
    public const string ProgressEvents = "initiated,ringing,answered,completed";

    /// <param name="transferId">The transfer whose target this call rings: its progress then says whether the target answered.</param>
    public OutgoingCall To(AgentAddress to, string from, string url, string? transferId = null) => new()
    {
        From = from, To = to.ToCallApiTo(), Url = url,
        StatusCallback = rcml.Status(null, transferId), StatusCallbackEvent = ProgressEvents, FallbackUrl = rcml.Fallback(),
    };

    /// <summary>
    /// The caller id participants see: the customer's number (<paramref name="call"/>'s From), else <c>CallApi:CallerId</c>
    /// (also for a room this server did not open, where there is no call); null when neither is set.
    /// </summary>
    public string? CallerIdFor(Call? call) => NonEmpty(call?.From) ?? NonEmpty(callApi.CurrentValue.CallerId);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
