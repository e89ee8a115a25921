using System.Globalization;
using AppServer.Calls;

namespace AppServer.Webhooks;

/// <summary>
/// Reads and checks a callback's parameters before the handler runs; the handler gets them with
/// <see cref="WebhookValidationExtensions.WebhookData"/>. Bad input is a 400 naming the field and nothing is stored.
/// </summary>
public sealed class WebhookValidationFilter(ILogger<WebhookValidationFilter> logger) : IEndpointFilter
{
    private static readonly HashSet<string> DialCallStatuses = new(StringComparer.Ordinal)
    {
        "completed", "answered", "busy", "no-answer", "failed", "canceled",
    };

    private static readonly string[] WholeNumberFields = ["CallDuration", "DialCallDuration", "DialRingDuration", "SequenceNumber"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (parameters, problem) = await WebhookRequestReader.ReadAsync(http);
        if (problem is not null) return problem;

        var invalid = Check(parameters!);
        if (invalid is { } error)
        {
            logger.LogWarning("Webhook {Path} refused: {Field} {Message}", http.Request.Path, error.Field, error.Message);
            return Problems.Field(error.Field, error.Message);
        }

        // The shared token authenticates the request; it is not call data and must not be stored.
        parameters!.Remove("token");
        var data = new WebhookCallData(parameters["CallSid"], parameters);
        http.Items[typeof(WebhookCallData)] = data;
        using (logger.BeginCallScope(data.CallSid))
            return await next(context);
    }

    private static (string Field, string Message)? Check(Dictionary<string, string> parameters)
    {
        parameters.TryGetValue("CallSid", out var callSid);
        if (CallSidRules.Problem(callSid) is { } sidProblem) return ("CallSid", sidProblem);

        if (parameters.TryGetValue("CallStatus", out var status) && status.Length > 0 && !CallStatuses.IsKnown(status))
            return ("CallStatus", $"CallStatus '{Shorten(status)}' is not one of: {string.Join(", ", CallStatuses.All)}.");

        if (parameters.TryGetValue("DialCallStatus", out var dialStatus) && dialStatus.Length > 0 && !DialCallStatuses.Contains(dialStatus))
            return ("DialCallStatus", $"DialCallStatus '{Shorten(dialStatus)}' is not one of: {string.Join(", ", DialCallStatuses)}.");

        foreach (var field in WholeNumberFields)
            if (parameters.TryGetValue(field, out var value) && value.Length > 0
                && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return (field, $"{field} must be a whole number of seconds, got '{Shorten(value)}'.");
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

public static class WebhookValidationExtensions
{
    /// <summary>Validates the platform's callback parameters (CallSid, CallStatus, …) for every endpoint of the group.</summary>
    public static TBuilder ValidateWebhookParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, WebhookValidationFilter>();

    /// <summary>The callback's parameters, as checked by <see cref="WebhookValidationFilter"/>.</summary>
    public static WebhookCallData WebhookData(this HttpContext http) =>
        http.Items[typeof(WebhookCallData)] as WebhookCallData
        ?? throw new InvalidOperationException("The endpoint is missing ValidateWebhookParameters().");
}
