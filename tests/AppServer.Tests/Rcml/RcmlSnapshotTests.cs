using System.Xml.Linq;
using AppServer.Agents;
using AppServer.Rcml;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Rcml;

/// <summary>Every document the server sends, as the platform receives it, checked against rcml.xsd and its snapshot.</summary>
public class RcmlSnapshotTests(RcmlFixture app) : IClassFixture<RcmlFixture>
{
    private async Task<XDocument> Post(string path, Dictionary<string, string>? form = null) =>
        await RcmlAssert.ValidRcmlAsync(await app.Client.PostFormAsync(path, form ?? []));

    private Dictionary<string, string> Incoming(string from, string to) => Webhook.RestcommIncoming(Webhook.NewCallSid(), from, to);

    private Dictionary<string, string> DialOutcome(string status) => new()
    {
        ["CallSid"] = Webhook.NewCallSid(), ["CallStatus"] = "in-progress", ["DialCallStatus"] = status,
        ["DialCallSid"] = status == "completed" ? "CA" + new string('1', 32) : "null",
    };

    [Fact]
    public async Task Incoming_call_dials_the_client_agent_with_the_caller_id_and_dial_action() =>
        XmlSnapshot.Match(await Post("/incoming", Incoming("+15551234567", "+15550001000")), "incoming-client-agent");

    [Fact]
    public async Task Incoming_call_to_a_did_routed_to_a_number_agent_dials_a_number() =>
        XmlSnapshot.Match(await Post("/incoming", Incoming("alice", "+15550002000")), "incoming-number-agent");

    [Fact]
    public void Incoming_call_nobody_answers_for_says_not_in_service()
    {
        var rcml = app.Factory.Services.GetRequiredService<RcmlResponses>();
        XmlSnapshot.Match(RcmlAssert.Valid(RcmlAssert.Sent(rcml.NoAgentForNumber("+15559999999"))), "incoming-no-agent");
    }

    [Theory]
    [InlineData("/CallToAlice", "call-to-agent-client")]
    [InlineData("/CallToCarol", "call-to-agent-sip")]
    [InlineData("/CallToDave", "call-to-agent-number")]
    public async Task Call_to_agent_uses_the_noun_of_the_agents_address(string path, string snapshot) =>
        XmlSnapshot.Match(await Post(path), snapshot);

    [Theory]
    [InlineData("client:zoe", "dial-client")]
    [InlineData("sip:ops@pbx.example.com", "dial-sip")]
    [InlineData("+441234567890", "dial-number")]
    public async Task Dial_sends_the_call_to_the_given_address(string to, string snapshot) =>
        XmlSnapshot.Match(await Post("/Dial", new() { ["address"] = to }), snapshot);

    [Fact]
    public async Task Conference_joins_the_room() =>
        XmlSnapshot.Match(await Post("/Conference", new() { ["room"] = "support-42" }), "conference");

    [Theory]
    [InlineData("completed", "dial-action-answered")]
    [InlineData("canceled", "dial-action-answered")]
    [InlineData("no-answer", "dial-action-no-answer")]
    [InlineData("busy", "dial-action-no-answer")]
    [InlineData("failed", "dial-action-failed")]
    public async Task Dial_action_follows_up_according_to_the_dial_outcome(string status, string snapshot) =>
        XmlSnapshot.Match(await Post("/dial-action", DialOutcome(status)), snapshot);

    [Fact]
    public async Task Voicemail_recording_callback_without_a_dial_status_hangs_up() =>
        XmlSnapshot.Match(
            await Post("/dial-action", new() { ["CallSid"] = Webhook.NewCallSid(), ["RecordingUrl"] = "http://media.test/r.wav" }),
            "dial-action-answered");

    [Fact]
    public async Task Hold_plays_the_default_music_until_the_leg_is_moved_again() =>
        XmlSnapshot.Match(await Post("/Hold", new() { ["CallSid"] = Webhook.NewCallSid() }), "hold");

    [Fact]
    public async Task Fallback_apologises_and_hangs_up() =>
        XmlSnapshot.Match(await Post("/fallback"), "fallback");

    [Fact]
    public async Task Status_callback_gets_an_empty_response() =>
        XmlSnapshot.Match(await Post("/status", new() { ["CallSid"] = Webhook.NewCallSid(), ["CallStatus"] = "completed" }), "empty");

    // Which snapshots show each template: a new template fails the test below until its snapshots are listed here.
    private static readonly Dictionary<string, string[]> SnapshotsOfTemplate = new()
    {
        ["incoming.xml"] = ["incoming-client-agent", "incoming-number-agent"],
        ["incoming-no-agent.xml"] = ["incoming-no-agent"],
        ["call-to-agent.xml"] = ["call-to-agent-client", "call-to-agent-sip", "call-to-agent-number"],
        ["dial.xml"] = ["dial-client", "dial-sip", "dial-number"],
        ["conference.xml"] = ["conference"],
        ["dial-action-answered.xml"] = ["dial-action-answered"],
        ["dial-action-no-answer.xml"] = ["dial-action-no-answer"],
        ["dial-action-failed.xml"] = ["dial-action-failed"],
        ["hold.xml"] = ["hold"],
        ["fallback.xml"] = ["fallback"],
        ["empty.xml"] = ["empty"],
    };

    [Fact]
    public void Every_template_in_the_catalogue_is_covered_by_a_snapshot()
    {
        var folder = Path.Combine(SourceFolder(), "__snapshots__");
        foreach (var template in RcmlTemplates.All)
        {
            Assert.True(SnapshotsOfTemplate.TryGetValue(template.FileName, out var names), $"{template.FileName} has no snapshot listed");
            foreach (var name in names!)
                Assert.True(File.Exists(Path.Combine(folder, name + ".xml")), $"snapshot {name}.xml of {template.FileName} is missing");
        }
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
