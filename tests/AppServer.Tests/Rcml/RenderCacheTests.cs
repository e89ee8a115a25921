using AppServer.Rcml;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Rcml;

public class RenderCacheTests(AppServerFixture app) : IClassFixture<AppServerFixture>
{
    private RcmlRenderer Renderer => app.Factory.Services.GetRequiredService<RcmlRenderer>();

    private string Render(string? agentName, string? agentAddress) =>
        System.Text.Encoding.UTF8.GetString(Renderer.RenderUtf8(RcmlTemplates.CallToAgent, new Dictionary<string, string?>
        {
            ["dialActionUrl"] = "http://appserver.test/dial-action", ["agentName"] = agentName, ["agentAddress"] = agentAddress,
        }));

    [Fact]
    public void Cached_documents_are_never_served_for_other_values()
    {
        var alice = Render("alice", "client:alice");
        var bob = Render("bob", "client:bob");
        Assert.Contains("<Client>alice</Client>", alice);
        Assert.Contains("<Client>bob</Client>", bob);
        Assert.Equal(alice, Render("alice", "client:alice"));
        Assert.Contains("<Client>bob</Client>", Render("bob", "client:bob"));
    }

    [Fact]
    public void Values_that_would_concatenate_alike_get_their_own_documents()
    {
        // "ab"+"c" and "a"+"bc" must not share a cache entry.
        var first = Render("ab", "client:c");
        var second = Render("a", "client:bc");
        Assert.Contains("<Client>c</Client>", first);
        Assert.Contains("<Client>bc</Client>", second);
    }

    [Fact]
    public void Cached_bytes_match_a_fresh_render()
    {
        var values = new Dictionary<string, string?> { ["room"] = "support-42" };
        var fresh = Renderer.Render(RcmlTemplates.Conference, values).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        Renderer.RenderUtf8(RcmlTemplates.Conference, values);
        Assert.Equal(fresh, System.Text.Encoding.UTF8.GetString(Renderer.RenderUtf8(RcmlTemplates.Conference, values)));
    }
}
