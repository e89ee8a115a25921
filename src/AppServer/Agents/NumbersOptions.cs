namespace AppServer.Agents;

/// <summary>The <c>Numbers</c> section: called DID → how to answer it; <c>*</c> is the default.</summary>
public sealed class NumbersOptions : Dictionary<string, NumberRoute>
{
    public const string Section = "Numbers";
    public const string Default = "*";

    public NumbersOptions() : base(StringComparer.OrdinalIgnoreCase) { }

    /// <summary>The route for a called number, falling back to <c>*</c>.</summary>
    public NumberRoute? Find(string? calledNumber) =>
        calledNumber is not null && TryGetValue(calledNumber, out var route) ? route
        : TryGetValue(Default, out var fallback) ? fallback
        : null;
}

public sealed class NumberRoute
{
    /// <summary>Name of the agent (a key of <c>Agents</c>) the call is dialled to.</summary>
    public string Agent { get; set; } = "";
}
