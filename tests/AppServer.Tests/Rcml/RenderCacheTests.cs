using System.Xml.Linq;
using AppServer.Rcml;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Rcml;

public class RenderCacheTests(AppServerFixture app) : IClassFixture<AppServerFixture>
{
    private RcmlRenderer Renderer => app.Factory.Services.GetRequiredService<RcmlRenderer>();

    /// <summary>The document the start-up checks validate, written by the same template steps.</summary>
    private string Checked(RcmlTemplate template, IReadOnlyDictionary<string, string?> values) =>
        app.Factory.Services.GetRequiredService<RcmlTemplateStore>().Get(template).Render(values).ToString(SaveOptions.DisableFormatting);

    private string Render(string? agentName, string? agentAddress) =>
        Utf8(Renderer.RenderUtf8(RcmlTemplates.CallToAgent, new Dictionary<string, string?>
        {
            ["dialActionUrl"] = "http://appserver.test/dial-action", ["statusCallbackUrl"] = "http://appserver.test/status",
            ["agentName"] = agentName, ["agentAddress"] = agentAddress,
        }));

    [Fact]
    public void Cached_documents_are_never_served_for_other_values()
    {
        var alice = Render("alice", "client:alice");
        var bob = Render("bob", "client:bob");
        Assert.Contains(">alice</Client>", alice);
        Assert.Contains(">bob</Client>", bob);
        Assert.Equal(alice, Render("alice", "client:alice"));
        Assert.Contains(">bob</Client>", Render("bob", "client:bob"));
    }

    [Fact]
    public void Values_that_would_concatenate_alike_get_their_own_documents()
    {
        // "ab"+"c" and "a"+"bc" must not share a cache entry.
        var first = Render("ab", "client:c");
        var second = Render("a", "client:bc");
        Assert.Contains(">c</Client>", first);
        Assert.Contains(">bc</Client>", second);
    }

    [Fact]
    public void Cached_bytes_match_a_fresh_render()
    {
        var values = new Dictionary<string, string?>
        {
            ["dialActionUrl"] = "http://appserver.test/dial-action", ["statusCallbackUrl"] = "http://appserver.test/status",
            ["agentName"] = "carol", ["agentAddress"] = "sip:carol@example.com",
        };
        var fresh = Checked(RcmlTemplates.CallToAgent, values);
        Renderer.RenderUtf8(RcmlTemplates.CallToAgent, values);
        Assert.Equal(fresh, Utf8(Renderer.RenderUtf8(RcmlTemplates.CallToAgent, values)));
    }

    public static TheoryData<string> Templates() => new(RcmlTemplates.All.Select(t => t.FileName));

    [Theory]
    [MemberData(nameof(Templates))]
    public void The_bytes_sent_are_the_checked_document_for_every_sample_and_hostile_value(string file)
    {
        var template = RcmlTemplates.All.Single(t => t.FileName == file);
        var valueSets = template.SampleValueSets().ToList();
        // Hostile values where a template takes free text (caller ids, numbers): markup, entities, control characters.
        valueSets.Add(template.Placeholders.ToDictionary(p => p.Name, p => (string?)(p.Samples[0].Contains(':') || p.Name == "room"
            ? p.Samples[0] : p.Samples[0] + "<x a=\"1\">&amp;]]>\u0001\"'")));
        foreach (var values in valueSets)
        {
            var sent = Utf8(Renderer.RenderUtf8(template, values));
            Assert.Equal(Checked(template, values), sent);
            Assert.Equal(sent, XDocument.Parse(sent).ToString(SaveOptions.DisableFormatting));
        }
    }

    [Fact]
    public void A_render_that_fails_midway_leaves_nothing_behind_for_the_next_one()
    {
        var good = new Dictionary<string, string?>
        {
            ["dialActionUrl"] = "http://appserver.test/dial-action", ["statusCallbackUrl"] = null,
            ["to"] = "client:zoe"
        };
        var expected = Utf8(Renderer.RenderUtf8(RcmlTemplates.Dial, good));
        for (var i = 0; i < 3; i++)
        {
            // <Target> gets something that is no address after <Dial action=…> was already written.
            Assert.Throws<RcmlRenderException>(() => Renderer.RenderUtf8(RcmlTemplates.Dial,
                new Dictionary<string, string?>
                {
                    ["dialActionUrl"] = "http://appserver.test/dial-action", ["statusCallbackUrl"] = null,
                    ["to"] = "no address"
                }));
            Assert.Equal(expected, Utf8(Renderer.RenderUtf8(RcmlTemplates.Dial, good)));
        }
    }

    [Fact]
    public void A_missing_value_is_refused_even_after_a_null_one_was_cached()
    {
        // call-to-agent.xml with dialActionUrl null renders (the attribute is left out) and is cached…
        Renderer.RenderUtf8(RcmlTemplates.CallToAgent,
            new Dictionary<string, string?>
            {
                ["dialActionUrl"] = null, ["statusCallbackUrl"] = null, ["agentName"] = "alice",
                ["agentAddress"] = "client:alice"
            });
        // …but leaving the key out is a caller bug the writer must still report, not a cache hit.
        Assert.Throws<RcmlRenderException>(() => Renderer.RenderUtf8(RcmlTemplates.CallToAgent,
            new Dictionary<string, string?> { ["statusCallbackUrl"] = null, ["agentName"] = "alice", ["agentAddress"] = "client:alice" }));
    }

    private static string Utf8(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
