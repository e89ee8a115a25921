namespace AppServer;

/// <summary>RFC 9457 problem answers used across features, so every 4xx says plainly what is wrong.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            detail: message, title: "Invalid request");

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Status(StatusCodes.Status409Conflict, "Conflict", detail);
}

public static class ProblemMetadata
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Declares problem+json answers with these statuses for OpenAPI, on a route or a whole group.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(statuses
            .Select(s => (object)new ProducesResponseTypeMetadata(s, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), [ProblemJson]))
            .ToArray());

    /// <summary>Declares the 400 validation problem (field errors) for OpenAPI.</summary>
    public static TBuilder ProducesValidationProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails),
            [ProblemJson]));
}
