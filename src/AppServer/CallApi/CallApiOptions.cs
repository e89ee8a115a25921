using System.ComponentModel.DataAnnotations;

namespace AppServer.CallApi;

/// <summary>The <c>CallApi</c> configuration section: where the platform's REST API is and how to log in.</summary>
public sealed class CallApiOptions : IValidatableObject
{
    public const string Section = "CallApi";

    /// <summary>e.g. <c>https://v1.api19.com/call</c>; resources live under <c>{BaseUrl}/2012-04-24/Accounts/{AccountSid}/</c>.</summary>
    [Required(ErrorMessage = "CallApi:BaseUrl is required.")]
    public string BaseUrl { get; set; } = "";

    /// <summary>HTTP Basic user name.</summary>
    [Required(ErrorMessage = "CallApi:AccountSid is required.")]
    [RegularExpression("^[A-Za-z0-9]+$", ErrorMessage = "CallApi:AccountSid may contain only letters and digits.")]
    public string AccountSid { get; set; } = "";

    /// <summary>HTTP Basic password.</summary>
    [Required(ErrorMessage = "CallApi:AuthToken is required.")]
    public string AuthToken { get; set; } = "";

    /// <summary>Per-request timeout; a create-call that times out is never retried (it could ring someone twice).</summary>
    [Range(1, 300, ErrorMessage = "CallApi:TimeoutSeconds must be between 1 and 300.")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Optional caller id for invites into a conference room this server did not open (no originating call to
    /// borrow the caller's From from).
    /// </summary>
    public string CallerId { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return new ValidationResult($"CallApi:BaseUrl must be an absolute http(s) URL, got '{BaseUrl}'.", [nameof(BaseUrl)]);
    }

    /// <summary>
    /// The account's resource root, ending with '/'. A method, not a property: the configuration binder reads properties.
    /// </summary>
    public Uri AccountRoot() => new($"{AccountPrefix()}/");

    /// <summary>The account itself as JSON: <c>{BaseUrl}/2012-04-24/Accounts/{AccountSid}.json</c>.</summary>
    public Uri AccountUrl() => new($"{AccountPrefix()}.json");

    private string AccountPrefix() => $"{BaseUrl.TrimEnd('/')}/2012-04-24/Accounts/{AccountSid}";
}
