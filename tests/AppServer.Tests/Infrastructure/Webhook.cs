using System.Security.Cryptography;

namespace AppServer.Tests.Infrastructure;

/// <summary>Builds platform callbacks the way Restcomm sends them.</summary>
public static class Webhook
{
    /// <summary>A fresh Restcomm-style CallSid: ID + 32 hex + -CA + 32 hex.</summary>
    public static string NewCallSid() => $"ID{Hex()}-CA{Hex()}";

    private static string Hex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The parameters of a real Restcomm incoming-call POST (docs/platform.md §2.2), for the given CallSid.</summary>
    public static Dictionary<string, string> RestcommIncoming(string callSid, string from = "alice", string to = "1111") => new()
    {
        ["CallSid"] = callSid,
        ["AccountSid"] = "ACae6e420f425248d6a26948c17a9e2acf",
        ["From"] = from,
        ["To"] = to,
        ["CallStatus"] = "ringing",
        ["ApiVersion"] = "2012-04-24",
        ["Direction"] = "inbound",
        ["CallerName"] = "null",
        ["ForwardedFrom"] = "null",
        ["CallTimestamp"] = "2016-08-18T13:46:29.507Z",
    };

    public static Task<HttpResponseMessage> PostFormAsync(
        this HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> form) =>
        client.PostAsync(path, new FormUrlEncodedContent(form));

    public static Task<HttpResponseMessage> GetWithQueryAsync(
        this HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> query) =>
        client.GetAsync(path + "?" + string.Join("&",
            query.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value))));
}
