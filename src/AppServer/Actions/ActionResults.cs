namespace AppServer.Actions;

/// <summary>The HTTP answer for an action's outcome (docs/agent-api.md's error table), decided here and nowhere else.</summary>
public static class ActionResults
{
    public static Results<Ok<ActionView>, ProblemHttpResult> ToHttp(this ActionOutcome outcome) => outcome switch
    {
        ActionOutcome.Completed completed => TypedResults.Ok(ActionView.Of(completed.Action)),
        ActionOutcome.Failed failed => Problem(Answer(failed.Failure), failed.Detail, failed.Action),
        ActionOutcome.Rejected rejected => Problem(Answer(rejected.Rejection), rejected.Detail, rejected.Action),
        _ => throw new InvalidOperationException($"Unknown outcome {outcome.GetType().Name}."),
    };

    private static (int Status, string Title) Answer(ActionFailure failure) => failure switch
    {
        ActionFailure.PlatformTimeout => (StatusCodes.Status504GatewayTimeout, "CallAPI timed out"),
        ActionFailure.PlatformUnreachable => (StatusCodes.Status502BadGateway, "CallAPI unreachable"),
        ActionFailure.PlatformMalformed => (StatusCodes.Status502BadGateway, "CallAPI answered malformed JSON"),
        ActionFailure.CredentialsRejected => (StatusCodes.Status502BadGateway, "CallAPI credentials rejected"),
        ActionFailure.PlatformRefused => (StatusCodes.Status502BadGateway, "CallAPI refused the request"),
        ActionFailure.CallGone => (StatusCodes.Status409Conflict, "Call not live"),
        ActionFailure.CallUnknown => (StatusCodes.Status404NotFound, "Call unknown to the platform"),
        ActionFailure.Abandoned => (StatusCodes.Status409Conflict, "Request abandoned"),
        _ => (StatusCodes.Status500InternalServerError, "Transfer failed unexpectedly"),
    };

    private static (int Status, string Title) Answer(ActionRejection rejection) => rejection switch
    {
        ActionRejection.CallNotFound => (StatusCodes.Status404NotFound, "Not found"),
        ActionRejection.UnknownRoom => (StatusCodes.Status404NotFound, "Unknown room"),
        ActionRejection.CallNotLive => (StatusCodes.Status409Conflict, "Call not live"),
        ActionRejection.KeyReused => (StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused"),
        _ => (StatusCodes.Status409Conflict, "Conflict"),
    };

    // The transfer id lets the agent fetch the full CallAPI exchange of a failed action.
    private static ProblemHttpResult Problem((int Status, string Title) answer, string detail, CallAction? action) =>
        TypedResults.Problem(detail: detail, statusCode: answer.Status, title: answer.Title,
            extensions: action is null ? null : new Dictionary<string, object?> { ["transferId"] = action.Id });

    /// <summary>Every answer an action route can give besides 200, for OpenAPI.</summary>
    public static TBuilder ProducesActionProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesValidationProblems().ProducesProblems(
            StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
            StatusCodes.Status422UnprocessableEntity, StatusCodes.Status500InternalServerError,
            StatusCodes.Status502BadGateway, StatusCodes.Status504GatewayTimeout);
}
