using System.Globalization;
using AppServer.Calls;

namespace AppServer.Webhooks;

/// <summary>
/// Checks a call callback's bound <see cref="PlatformRequest"/> before the handler runs: a body that could not be
/// read is 413/415/400, a bad CallSid, status or number is a 400 naming the field, and nothing is stored. The
/// handler then runs with the CallSid in its log scope.
/// </summary>
public sealed class WebhookValidation(ILogger<WebhookValidation> logger)
{
    private static readonly HashSet<string> DialCallStatuses = new(StringComparer.Ordinal)
    {
        "completed", "answered", "busy", "no-answer", "failed", "canceled",
    };

    private static readonly string[] WholeNumberFields = ["CallDuration", "DialCallDuration", "DialRingDuration", "SequenceNumber"];

    public async ValueTask<object?> InvokeAsync(
        EndpointFilterInvocationContext context, PlatformRequest request, EndpointFilterDelegate next)
    {
        if (request.Unreadable(context.HttpContext, logger) is { } unreadable) return unreadable;
        if (Check(request.Parameters) is { } error)
        {
            logger.Refused(context.HttpContext, StatusCodes.Status400BadRequest, $"{error.Field}: {error.Message}");
            return Problems.Field(error.Field, error.Message);
        }
        using (logger.BeginCallScope(request.CallData.CallSid))
            return await next(context);
    }

    private static (string Field, string Message)? Check(IReadOnlyDictionary<string, string> parameters)
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
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = PlatformRequestArgument.IndexIn(factory, nameof(ValidateWebhookParameters));
            var validation = factory.ApplicationServices.GetRequiredService<WebhookValidation>();
            return invocation => validation.InvokeAsync(invocation, invocation.GetArgument<PlatformRequest>(index), next);
        })
        .ProducesValidationProblems()
        .ProducesProblems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
}
