namespace AppServer.CallApi;

/// <summary>
/// The parameters of "modify a live call" (docs/platform.md §4.2). Only the ones set are sent: the platform
/// treats a present parameter as an instruction (and a missing Mute as false — see <see cref="Mute"/>).
/// </summary>
public sealed record LiveCallModification
{
    public string? Url { get; init; }
    public string? Method { get; init; }
    /// <summary><c>canceled</c> (queued/ringing only) or <c>completed</c>.</summary>
    public string? Status { get; init; }
    /// <summary>Restcomm reads a missing Mute as false, so callers re-apply a mute the agent set.</summary>
    public bool? Mute { get; init; }
    public string? FallbackUrl { get; init; }
    public string? FallbackMethod { get; init; }
    public string? StatusCallback { get; init; }
    public string? StatusCallbackMethod { get; init; }
    public bool? MoveConnectedCallLeg { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> ToForm() => FormFields.Of(
        ("Url", Url), ("Method", Method), ("Status", Status), ("Mute", FormFields.Bool(Mute)),
        ("FallbackUrl", FallbackUrl), ("FallbackMethod", FallbackMethod),
        ("StatusCallback", StatusCallback), ("StatusCallbackMethod", StatusCallbackMethod),
        ("MoveConnectedCallLeg", FormFields.Bool(MoveConnectedCallLeg)));
}

/// <summary>The parameters of "create an outgoing call" (docs/platform.md §4.4); only the ones set are sent.</summary>
public sealed record OutgoingCall
{
    public required string From { get; init; }
    /// <summary><c>client:bob</c>, <c>sip:…</c> or a number.</summary>
    public required string To { get; init; }
    /// <summary>RCML for the answered call.</summary>
    public required string Url { get; init; }
    public string? Method { get; init; }
    public string? StatusCallback { get; init; }
    public string? StatusCallbackMethod { get; init; }
    public string? StatusCallbackEvent { get; init; }
    /// <summary>Seconds to let it ring (platform default 60).</summary>
    public int? Timeout { get; init; }
    public string? FallbackUrl { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> ToForm() => FormFields.Of(
        ("From", From), ("To", To), ("Url", Url), ("Method", Method),
        ("StatusCallback", StatusCallback), ("StatusCallbackMethod", StatusCallbackMethod),
        ("StatusCallbackEvent", StatusCallbackEvent),
        ("Timeout", Timeout?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("FallbackUrl", FallbackUrl));
}

internal static class FormFields
{
    public static string? Bool(bool? value) => value switch { true => "true", false => "false", null => null };

    public static IReadOnlyList<KeyValuePair<string, string>> Of(params (string Name, string? Value)[] fields) =>
        fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value!)).ToList();
}
