using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace CallApi.Emulator.Calls;

/// <summary>HTTP Basic with user = AccountSid and password = AuthToken, and the account in the path must be that account.</summary>
public sealed class BasicAuthFilter(EmulatorOptions options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsAuthorized(http))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"CallAPI emulator\"";
            return TypedResults.Text("Unauthorized", "text/plain", statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context);
    }

    private bool IsAuthorized(HttpContext http)
    {
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) ||
            !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }
        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];
        var pathAccount = http.GetRouteValue("accountSid") as string;
        return user == options.AccountSid
            && pathAccount == options.AccountSid
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(options.AuthToken));
    }
}
