using System.Net.Http.Headers;
using System.Text;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// AppServer with a webhook token (so every URL in RCML must carry it) and one agent of each address kind,
/// plus a DID routed to the number agent.
/// </summary>
public sealed class RcmlFixture : AppServerFixture
{
    public const string Token = "rcml-test-token";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["AppServer:Webhooks:Token"] = Token,
        ["Agents:dave"] = "+15557654321",
        ["Numbers:+15550002000:Agent"] = "dave",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The platform may prove itself with the HTTP Basic password instead of token=.
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("callapi:" + Token)));
    }
}
