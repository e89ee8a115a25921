using System.Xml.Linq;
using AppServer.Agents;
using AppServer.Rcml;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Rcml;

/// <summary>Templates that put every value in text and attributes, and an agent whose name is hostile.</summary>
public sealed class HostileValuesFixture : AppServerFixture
{
    public const string HostileAgent = "Eve <&\"']]>";
    private readonly TemplateFolder _templates = new();

    public HostileValuesFixture()
    {
        _templates.Replace("incoming.xml", "<Dial ", "<Say>Call for {{calledNumber}} from {{callerId}}</Say>\n  <Dial ");
        _templates.Replace("call-to-agent.xml", "<Dial ", "<Say voice=\"{{agentName}}\">Connecting you to {{agentName}}</Say>\n  <Dial ");
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [_templates.Setting.Key] = _templates.Setting.Value,
        ["Agents:" + HostileAgent] = "client:eve",
        // The 10 000-character hostile value must reach the renderer, past the default per-value storage limit.
        ["AppServer:Limits:MaxValueLength"] = "20000",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _templates.Dispose();
    }
}

public class HostileValueTests(HostileValuesFixture app) : IClassFixture<HostileValuesFixture>
{
    private const string ControlCharacters = "\u0000\u0001\u0007\u0008\u000B\u000C\u001B\u001F\uFFFE\uFFFF\uD800";

    public static TheoryData<string> HostileValues => new()
    {
        "<Dial><Client>mallory</Client></Dial>",
        "Bob & <Co>",
        "\"double\" and 'single' quotes",
        "]]><Hangup/><![CDATA[",
        "</Say><Hangup/><Say>",
        "{{agentAddress}} {{callerId}}", // a value is never read as a placeholder
        "&amp; &#60; &lt;",
        "bell" + ControlCharacters + "end",
        string.Concat(Enumerable.Repeat("<&\"'>]]>", 1250)), // 10 000 characters
    };

    // Over HTTP, control characters are refused before anything is stored (see the tests below), so only what can
    // arrive is sent; the renderer's own handling of them is checked directly with a hostile agent name.
    public static TheoryData<string> HostileFormValues
    {
        get
        {
            var values = new TheoryData<string>();
            foreach (string value in HostileValues) if (!value.Any(c => c < ' ')) values.Add(value);
            values.Add("bell\uFFFEend");
            return values;
        }
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0001")]
    [InlineData("\u001B")]
    [InlineData("\u007F")]
    public async Task A_control_character_raw_or_percent_encoded_is_refused_the_same_and_nothing_is_stored(string control)
    {
        var raw = Webhook.RestcommIncoming(Webhook.NewCallSid(), from: "bell" + control + "end");
        var rawAnswer = await app.Client.PostAsync("/incoming", new StringContent(
            string.Join("&",
                raw.Select(p => Uri.EscapeDataString(p.Key) + "=" + (p.Key == "From"
                    ? "bell" + control + "end" : Uri.EscapeDataString(p.Value)))),
            System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        var encoded = Webhook.RestcommIncoming(Webhook.NewCallSid(), from: "bell" + control + "end");
        var encodedAnswer = await app.Client.PostFormAsync("/incoming", encoded); // percent-encoded by the client

        foreach (var (answer, sid) in new[] { (rawAnswer, raw["CallSid"]), (encodedAnswer, encoded["CallSid"]) })
        {
            // The form reader itself refuses a percent-encoded NUL without saying where: the same answer, less precise.
            var field = control == "\u0000" && answer == encodedAnswer ? "parameters" : "From";
            var problem = await ProblemAssert.AssertProblem(answer, System.Net.HttpStatusCode.BadRequest, field);
            Assert.Equal("Control character in a parameter", problem.Title);
            Assert.Contains("control character", problem.Detail);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.Agent.GetAsync($"/calls/{sid}")).StatusCode);
        }
    }

    private static string WithoutControlCharacters(string value) =>
        new(value.Where(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c < '\uD800') || (c > '\uDFFF' && c < '\uFFFE')).ToArray());

    [Theory]
    [MemberData(nameof(HostileFormValues))]
    public async Task Hostile_caller_id_stays_a_value_and_the_document_stays_valid(string hostile)
    {
        var parameters = Webhook.RestcommIncoming(Webhook.NewCallSid(), from: hostile, to: "+15550001000");
        var rcml = await RcmlAssert.ValidRcmlAsync(await app.Client.PostFormAsync("/incoming", parameters));

        var expected = WithoutControlCharacters(hostile);
        Assert.Equal(["Say", "Dial"], rcml.Root!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal($"Call for +15550001000 from {expected}", rcml.Root.Element("Say")!.Value);
        var dial = rcml.Root.Element("Dial")!;
        Assert.Equal(expected, dial.Attribute("callerId")!.Value);
        Assert.Equal("bob", Assert.Single(dial.Elements("Client")).Value);
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Hostile_agent_name_stays_text_in_every_place_the_template_puts_it(string hostile)
    {
        var rcml = app.Factory.Services.GetRequiredService<RcmlResponses>();
        Assert.True(AgentAddress.TryParse("sip:eve@example.com", out var address, out _));

        var document = RcmlAssert.Valid(RcmlAssert.Sent(rcml.CallToAgent(new Agent(hostile, address))));

        var expected = WithoutControlCharacters(hostile);
        var say = document.Root!.Element("Say")!;
        Assert.Equal("Connecting you to " + expected, say.Value);
        Assert.Equal(expected, say.Attribute("voice")!.Value);
        Assert.Equal("sip:eve@example.com", Assert.Single(document.Root.Element("Dial")!.Elements()).Value);
    }

    [Fact]
    public async Task Agent_with_a_hostile_name_in_config_is_reachable_and_escaped()
    {
        var response = await app.Client.GetAsync("/CallTo" + Uri.EscapeDataString(HostileValuesFixture.HostileAgent));
        var body = await response.Content.ReadAsStringAsync();
        var rcml = await RcmlAssert.ValidRcmlAsync(response);

        Assert.Equal("Connecting you to " + HostileValuesFixture.HostileAgent, rcml.Root!.Element("Say")!.Value);
        Assert.Contains("Eve &lt;&amp;", body);
        Assert.DoesNotContain("]]>", body);
    }

    [Fact]
    public void Cdata_terminator_never_appears_raw_in_the_output()
    {
        var rcml = app.Factory.Services.GetRequiredService<RcmlResponses>();
        Assert.True(AgentAddress.TryParse("client:eve", out var address, out _));
        var text = RcmlAssert.Sent(rcml.CallToAgent(new Agent("a]]>b", address))).ToString(SaveOptions.DisableFormatting);
        Assert.DoesNotContain("]]>", text);
    }
}
