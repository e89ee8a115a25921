namespace AppServer.Security;

/// <summary>
/// Who is asking: the agent whose key authenticated this request (<c>AppServer:AgentKeys</c>), <see cref="Unnamed"/>
/// for a shared key (<c>AppServer:ApiKeys</c>), null outside an agent request (AppServer acting by itself, e.g. hanging
/// up a room its customer left). Read the way eShop's services read their user, so each action records who asked
/// without every route passing it along.
/// </summary>
public sealed class CurrentAgent(IHttpContextAccessor http)
{
    public const string Unnamed = "unnamed";

    public string? Name => http.HttpContext?.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
}
