namespace AppServer.Actions;

/// <summary>An action (a transfer or another live-call action) as the agent API shows it, with each CallAPI request and answer.</summary>
public sealed record ActionView(
    string Id, string? CallSid, string Mode, string? To, string? Room, bool MoveConnectedCallLeg,
    string State, string? Outcome, string? OutcomeDetail, string? TargetCallSid, string? AgentCallSid, string? FailureReason,
    int? PlatformStatus,
    IReadOnlyList<string> CreatedCallSids,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<CallApiRequestView> Requests, string? RequestedBy)
{
    public static ActionView Of(CallAction t) => new(
        t.Id, t.CallSid, t.Mode, t.Target, t.Room, t.MoveConnectedCallLeg, t.State, t.Outcome, t.OutcomeDetail, t.TargetCallSid,
            t.AgentCallSid,
        t.FailureReason, t.PlatformStatus,
        t.CreatedCallSids, t.CreatedAt, t.UpdatedAt,
        t.Requests.OrderBy(r => r.Sequence).Select(CallApiRequestView.Of).ToList(), t.RequestedBy);
}

public sealed record CallApiRequestView(
    int Sequence, DateTimeOffset StartedAt, string Method, string Path, IReadOnlyDictionary<string, string> Form,
    int? ResponseStatus, string? ResponseBody, double DurationMs, string Outcome)
{
    public static CallApiRequestView Of(CallApiRequestRecord r) => new(
        r.Sequence, r.StartedAt, r.Method, r.Path, r.Form, r.ResponseStatus, r.ResponseBody, r.DurationMs, r.Outcome);
}
