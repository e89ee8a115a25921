using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Accounts;

/// <summary>
/// GET …/Accounts/{AccountSid}(.json): the emulator's one account, behind the same Basic auth as everything else (401
/// with a Basic challenge for bad credentials), so a client can check its credentials cheaply. Like Restcomm's
/// AccountConverter minus the auth_token, which is never echoed.
/// </summary>
public static class AccountEndpoints
{
    private const string AccountPath = "/restcomm/" + CallApiVersion.Value + "/Accounts/{accountSid}";

    public static void MapAccountApi(this IEndpointRouteBuilder app)
    {
        // Created when the emulator starts: the account lives as long as it runs.
        var since = CallResource.Rfc2822(app.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
        var read = (EmulatorOptions options) => TypedResults.Ok(AccountResource.Of(options.AccountSid, since));
        app.MapGet(AccountPath, read).AddEndpointFilter<BasicAuthFilter>();
        // A complex segment ranks above the plain one, so "AC….json" reaches this route with accountSid = "AC…".
        app.MapGet(AccountPath + ".json", read).AddEndpointFilter<BasicAuthFilter>();
    }
}

public sealed record AccountResource(
    string Sid,
    string FriendlyName,
    string Type,
    string Status,
    string DateCreated,
    string DateUpdated,
    string Uri,
    AccountSubresources SubresourceUris)
{
    public const string Active = "active";

    internal static AccountResource Of(string accountSid, string since)
    {
        var path = $"/restcomm/{CallApiVersion.Value}/Accounts/{accountSid}";
        return new AccountResource(
            accountSid, "CallAPI emulator", "Full", Active, since, since, path + ".json",
            new AccountSubresources(path + "/Calls.json", path + "/Conferences.json"));
    }
}

public sealed record AccountSubresources(string Calls, string Conferences);
