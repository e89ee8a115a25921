using System.ComponentModel.DataAnnotations;
using System.Reflection;
using AppServer.Actions;
using AppServer.Calls;
using AppServer.Rcml;
using Microsoft.AspNetCore.Mvc;

namespace AppServer.Validation;

/// <summary>
/// A JSON request body that checks itself (<see cref="IValidatableObject"/>); <see cref="BodyHint"/> says what a missing one should be.
/// </summary>
public interface IAgentRequest : IValidatableObject
{
    static abstract string BodyHint { get; }
}

/// <summary>
/// Validation over a handler's bound, typed arguments, as one filter on the route group (TodoApi's ValidationFilter):
/// request bodies (<see cref="IAgentRequest"/>), a <c>callSid</c> or <c>room</c> route value, and the Idempotency-Key
/// header. What each argument needs is worked out once, when the endpoint is built; the first problem is a 400 naming
/// the field, and the handler never runs.
/// </summary>
public static class RequestValidation
{
    /// <summary>Agent bodies are a few hundred bytes; a bigger one is a mistake or abuse (413 problem).</summary>
    public const int MaxAgentBodyBytes = 16 * 1024;

    public static TBuilder LimitAgentRequestBodies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(MaxAgentBodyBytes)).ProducesProblems(StatusCodes.Status413PayloadTooLarge);

    /// <summary>A route with a JSON body: anything but application/json is a 415 (the framework's own answer).</summary>
    public static RouteHandlerBuilder ProducesJsonBodyProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblems(StatusCodes.Status415UnsupportedMediaType);

    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var checks = factory.MethodInfo.GetParameters().Select(CheckFor).ToArray();
            if (checks.All(c => c is null)) return next;
            return invocation =>
            {
                for (var i = 0; i < checks.Length; i++)
                    if (checks[i]?.Invoke(invocation.Arguments[i], invocation.HttpContext.RequestServices) is { } problem)
                        return ValueTask.FromResult<object?>(Problems.Field(problem.Field, problem.Message));
                return next(invocation);
            };
        }).ProducesValidationProblems();

    private static Func<object?, IServiceProvider, (string Field, string Message)?>? CheckFor(ParameterInfo parameter)
    {
        if (typeof(IAgentRequest).IsAssignableFrom(parameter.ParameterType))
        {
            var hint = (string)parameter.ParameterType.GetProperty(nameof(IAgentRequest.BodyHint),
                BindingFlags.Public | BindingFlags.Static)!
                .GetValue(null)!;
            return (value, services) => value is IValidatableObject body ? FirstProblem(body, services) : ("body", hint);
        }
        if (parameter.ParameterType != typeof(string)) return null;
        if (parameter.GetCustomAttribute<FromHeaderAttribute>()?.Name == ActionRules.IdempotencyKeyHeader)
            return (value, _) => value is string { Length: > 0 } key && ActionRules.IdempotencyKeyProblem(key) is { } p
                ? (ActionRules.IdempotencyKeyHeader, p) : null;
        return parameter.Name switch
        {
            "callSid" => (value, _) => CallSidRules.Problem(value as string) is { } p ? ("callSid", p) : null,
            "room" => (value, _) => ConferenceRoom.Problem(value as string) is { } p ? ("room", p) : null,
            _ => null,
        };
    }

    private static (string Field, string Message)? FirstProblem(IValidatableObject body, IServiceProvider services)
    {
        var result = body.Validate(new ValidationContext(body, services, null)).FirstOrDefault();
        return result is null ? null : (result.MemberNames.FirstOrDefault() ?? "body", result.ErrorMessage ?? "is invalid.");
    }
}
