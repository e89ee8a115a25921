using System.ComponentModel.DataAnnotations;

namespace AppServer.Calls;

/// <summary>
/// <c>AppServer:Limits</c>: how much the platform — or anyone holding the webhook token — can make AppServer store for
/// one call. Every webhook merges its parameters into the call's row, so without a bound one caller could grow a row
/// until every write to it, and every read of the call list, slows down for everybody.
/// </summary>
public sealed class StorageLimits
{
    public const string Section = "AppServer:Limits";

    /// <summary>Parameters one call may hold, all webhooks about it together (a Restcomm call sends about 15).</summary>
    [Range(16, 10000, ErrorMessage = "AppServer:Limits:MaxParametersPerCall must be between 16 and 10000.")]
    public int MaxParametersPerCall { get; set; } = 200;

    /// <summary>Characters in one parameter's name or value.</summary>
    [Range(64, 65536, ErrorMessage = "AppServer:Limits:MaxValueLength must be between 64 and 65536.")]
    public int MaxValueLength { get; set; } = 4096;

    /// <summary>Characters of one call's parameters together (names and values).</summary>
    [Range(1024, 10_000_000, ErrorMessage = "AppServer:Limits:MaxCallParametersLength must be between 1024 and 10000000.")]
    public int MaxCallParametersLength { get; set; } = 64 * 1024;
}

/// <summary>A write would make a call hold more than <see cref="StorageLimits"/> allow; nothing of it is stored.</summary>
public sealed class StorageLimitExceededException(string limit, string detail) : Exception(detail)
{
    /// <summary>The configuration key of the limit, e.g. AppServer:Limits:MaxParametersPerCall.</summary>
    public string Limit { get; } = limit;
}
