namespace AppServer.Webhooks;

/// <summary>Why a platform request is refused: its status, a short reason for the log (no secret in it) and the problem answered.</summary>
public sealed record WebhookRefusal(int Status, string Reason, IResult Problem);

/// <summary>
/// One Warning per refused webhook, the same shape wherever it is refused (authentication, parameters, an unreadable
/// body): the route, the remote address, the status and the reason, so an operator can tell a misconfigured platform
/// from a scanner. The secret never goes in: reasons say "wrong webhook token", and any token= left in the route is
/// masked by Security/SecretRedaction.
/// </summary>
public static class WebhookRefusalLog
{
    public static void Refused(this ILogger logger, HttpContext http, int status, string reason) =>
        logger.LogWarning("Webhook {Route} from {RemoteAddress} refused ({Status}): {Reason}",
            http.Request.Path.Value, http.Connection.RemoteIpAddress, status, reason);

    /// <summary>The problem to answer for a body that could not be read, logged; null when it was read.</summary>
    public static IResult? Unreadable(this PlatformRequest request, HttpContext http, ILogger logger)
    {
        if (request.Refusal is not { } refusal) return null;
        logger.Refused(http, refusal.Status, refusal.Reason);
        return refusal.Problem;
    }
}
