using CallApi.Emulator.Calls;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Tests;

/// <summary>What the emulator accepts as RCML (docs/platform.md §3) and what makes it use the FallbackUrl.</summary>
public sealed class RcmlParserTests
{
    private static readonly Uri Document = new("http://app.local/base/incoming?x=1");

    [Fact]
    public void Dial_nouns_are_read_with_canonical_addresses_and_relative_action()
    {
        var verbs = RcmlParser.Parse(
            "<Response><Dial action=\"/dial-action\" timeout=\"7\" callerId=\"+15550001111\">"
            + "<Client>alice</Client><Number>+15551234567</Number></Dial></Response>",
            Document);

        var dial = Assert.IsType<DialVerb>(Assert.Single(verbs));
        Assert.Equal("http://app.local/dial-action", dial.Action);
        Assert.Equal("POST", dial.Method);
        Assert.Equal(7, dial.TimeoutSeconds);
        Assert.Equal("+15550001111", dial.CallerId);
        Assert.Equal([("client:alice", AddressKind.Client), ("+15551234567", AddressKind.Number)], dial.Targets.Select(t => (t.Address,
            t.Kind)));
    }

    [Fact]
    public void Bare_number_in_dial_body_is_a_number_target()
    {
        var dial = Assert.IsType<DialVerb>(Assert.Single(RcmlParser.Parse("<Response><Dial>+15551234567</Dial></Response>", Document)));

        Assert.Equal("+15551234567", Assert.Single(dial.Targets).Address);
    }

    [Fact]
    public void Conference_attributes_are_read_with_platform_defaults()
    {
        var dial = Assert.IsType<DialVerb>(Assert.Single(RcmlParser.Parse(
            "<Response><Dial><Conference endConferenceOnExit=\"true\">support-42</Conference></Dial></Response>", Document)));

        Assert.Equal(new ConferenceNoun("support-42", true, true, false, 40), dial.Conference);
    }

    [Fact]
    public void Conference_wait_music_beep_and_method_are_read()
    {
        var dial = Assert.IsType<DialVerb>(Assert.Single(RcmlParser.Parse(
            "<Response><Dial><Conference beep=\"false\" waitUrl=\"/music/hold.wav\" waitMethod=\"GET\">r</Conference></Dial></Response>",
                Document)));

        var room = dial.Conference!;
        Assert.False(room.Beep);
        Assert.Equal("http://app.local/music/hold.wav", room.WaitUrl);
        Assert.Equal("GET", room.WaitMethod);
    }

    [Theory]
    [InlineData("<Play loop=\"0\">a.wav</Play>", 0)]
    [InlineData("<Play loop=\"5\">a.wav</Play>", 5)]
    [InlineData("<Play>a.wav</Play>", 1)]
    [InlineData("<Play loop=\"often\">a.wav</Play>", 1)]
    [InlineData("<Play loop=\"-2\">a.wav</Play>", 1)]
    public void Play_loop_is_read_and_an_invalid_value_plays_once(string play, int loop)
    {
        var verb = Assert.IsType<PlayVerb>(Assert.Single(RcmlParser.Parse($"<Response>{play}</Response>", Document)));

        Assert.Equal(loop, verb.Loop);
    }

    [Fact]
    public void Say_accepts_loop()
    {
        var say = Assert.IsType<SayVerb>(Assert.Single(RcmlParser.Parse(
            "<Response><Say voice=\"woman\" loop=\"0\">hold on</Say></Response>", Document)));

        Assert.Equal(("hold on", 0), (say.Text, say.Loop));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<Resp/>")]
    [InlineData("<Response><Dance/></Response>")]
    [InlineData("<Response><Dial></Dial></Response>")]
    [InlineData("<Response><Dial><Sip>sip:a@b</Sip><Client>bob</Client></Dial></Response>")]
    [InlineData("<!DOCTYPE r [<!ENTITY x \"y\">]><Response><Say>&x;</Say></Response>")]
    public void Unusable_documents_are_rejected(string xml)
    {
        Assert.Throws<InvalidRcmlException>(() => RcmlParser.Parse(xml, Document));
    }

    [Fact]
    public void Escaped_text_stays_text()
    {
        var say = Assert.IsType<SayVerb>(Assert.Single(RcmlParser.Parse("<Response><Say>&lt;Dial&gt; &amp; co</Say></Response>",
            Document)));

        Assert.Equal("<Dial> & co", say.Text);
    }
}
