namespace CallApi.Emulator.Calls;

/// <summary>Form fields (and, for curl convenience, query parameters) of a request; names ignore case.</summary>
public sealed class RequestParameters(IReadOnlyDictionary<string, string> values)
{
    public static async Task<RequestParameters> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in request.Query)
        {
            values[key] = value.ToString();
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (key, value) in form)
            {
                values[key] = value.ToString();
            }
        }
        return new RequestParameters(values);
    }

    /// <summary>The value, or null when absent or blank.</summary>
    public string? this[string name] => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public bool Flag(string name) => bool.TryParse(this[name], out var b) && b;

    /// <summary>GET or POST (the default); anything else is an error.</summary>
    public string? Method(string name) => this[name]?.ToUpperInvariant() switch
    {
        null or "POST" => "POST",
        "GET" => "GET",
        _ => null,
    };
}
