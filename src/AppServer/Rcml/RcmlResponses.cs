using AppServer.Agents;

namespace AppServer.Rcml;

/// <summary>Every RCML document the server answers with, each rendered from its template in rcml-templates/.</summary>
public sealed class RcmlResponses(RcmlRenderer renderer, RcmlUrls urls, HoldMusic music)
{
    public RcmlResult DialAgentForIncomingCall(Agent agent, string? callerId, string? calledNumber) =>
        Render(RcmlTemplates.Incoming, new()
        {
            ["dialActionUrl"] = urls.DialAction(),
            ["statusCallbackUrl"] = urls.Status(agent.Name),
            ["agentName"] = agent.Name,
            ["agentAddress"] = agent.Address.ToCallApiTo(),
            ["callerId"] = callerId,
            ["calledNumber"] = calledNumber,
        });

    public RcmlResult NoAgentForNumber(string? calledNumber) =>
        Render(RcmlTemplates.IncomingNoAgent, new() { ["calledNumber"] = calledNumber });

    /// <param name="transferId">The cold transfer that sent the call here: the Dial's progress and outcome name it.</param>
    public RcmlResult CallToAgent(Agent agent, string? transferId = null) =>
        Render(RcmlTemplates.CallToAgent, new()
        {
            ["dialActionUrl"] = urls.DialAction(transferId),
            ["statusCallbackUrl"] = urls.Status(agent.Name, transferId),
            ["agentName"] = agent.Name,
            ["agentAddress"] = agent.Address.ToCallApiTo(),
        });

    public RcmlResult Dial(AgentAddress to, string? transferId = null) =>
        Render(RcmlTemplates.Dial, new()
        {
            ["dialActionUrl"] = urls.DialAction(transferId),
            ["statusCallbackUrl"] = urls.Status(null, transferId),
            ["to"] = to.ToCallApiTo(),
        });

    public RcmlResult Conference(string room) => Render(RcmlTemplates.Conference, new() { ["room"] = room });

    /// <summary>
    /// What follows a Dial: voicemail when nobody answered or the line was busy, an apology when it failed, otherwise
    /// hang up. No DialCallStatus means a callback that is not a Dial outcome (the voicemail's recording): hang up.
    /// </summary>
    public RcmlResult AfterDial(string? dialCallStatus) => dialCallStatus switch
    {
        "no-answer" or "busy" => Render(RcmlTemplates.DialActionNoAnswer, new()
        {
            ["dialCallStatus"] = dialCallStatus,
            ["recordingActionUrl"] = urls.DialAction(),
        }),
        "failed" => Render(RcmlTemplates.DialActionFailed, new() { ["dialCallStatus"] = dialCallStatus }),
        _ => Render(RcmlTemplates.DialActionAnswered, new() { ["dialCallStatus"] = dialCallStatus }),
    };

    public RcmlResult Fallback() => Render(RcmlTemplates.Fallback, new());

    public RcmlResult HoldMusic() => Render(RcmlTemplates.Hold, new() { ["musicUrl"] = music.Url });

    public RcmlResult Empty() => Render(RcmlTemplates.Empty, new());

    private RcmlResult Render(RcmlTemplate template, Dictionary<string, string?> values) => new(renderer.RenderUtf8(template, values));
}
