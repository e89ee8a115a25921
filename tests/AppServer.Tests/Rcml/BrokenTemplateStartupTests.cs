using AppServer.Rcml;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Rcml;

/// <summary>A template that is not valid RCML stops start-up with a message naming the file and line.</summary>
public class BrokenTemplateStartupTests
{
    public static TheoryData<string, string, string, string> BrokenEdits => new()
    {
        // file, text to replace, replacement, what the message must say
        { "incoming.xml", "</Dial>", "</Dail>", "incoming.xml line 8: not well-formed XML" },
        { "fallback.xml", "<Hangup/>", "<HangUp/>", "fallback.xml line 5: not valid RCML" },
        { "fallback.xml", "<Hangup/>", "<Client>bob</Client>", "fallback.xml line 5: not valid RCML" },
        {
            "conference.xml", "endConferenceOnExit=\"false\"", "endConferenceOnExit=\"false\" colour=\"red\"",
            "conference.xml line 5: not valid RCML"
        },
        { "conference.xml", "<Conference ", "<Conference beep=\"sometimes\" ", "conference.xml line 5: not valid RCML" },
        { "dial-action-no-answer.xml", "maxLength=\"120\"", "maxLength=\"forever\"", "dial-action-no-answer.xml line 8: not valid RCML" },
        { "conference.xml", "{{room}}", "{{roomName}}", "conference.xml line 5: unknown placeholder {{roomName}}" },
        {
            "call-to-agent.xml", "{{dialActionUrl}}", "{{dialActionURL}}",
            "call-to-agent.xml line 4: unknown placeholder {{dialActionURL}}"
        },
        { "conference.xml", "{{room}}", "{{room}", "conference.xml line 5: malformed placeholder" },
        { "call-to-agent.xml", ">{{agentAddress}}</Target>", ">bob</Target>", "call-to-agent.xml: missing placeholder {{agentAddress}}" },
        {
            "call-to-agent.xml", " statusCallback=\"{{statusCallbackUrl}}\"", "",
            "call-to-agent.xml: missing placeholder {{statusCallbackUrl}}"
        },
        { "dial.xml", ">{{to}}</Target>", ">nobody {{to}}</Target>", "dial.xml line 6: <Target> needs an address" },
        { "fallback.xml", "<Response>", "<Reply>", "fallback.xml line 6: not well-formed XML" },
        { "fallback.xml", "Response>", "Reply>", "fallback.xml line 3: not valid RCML" },
        { "rcml.xsd", "<xs:element name=\"Hangup\">", "<xs:element name=\"Hangup\" type=\"nothing\">", "rcml.xsd" },
    };

    [Theory]
    [MemberData(nameof(BrokenEdits))]
    public void Broken_template_stops_start_up_naming_the_file_and_line(string file, string oldText, string newText, string expected)
    {
        using var templates = new TemplateFolder();
        templates.Replace(file, oldText, newText);

        var error = StartupFailure(templates);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Missing_template_file_stops_start_up()
    {
        using var templates = new TemplateFolder();
        File.Delete(Path.Combine(templates.Path, "empty.xml"));

        Assert.Contains("empty.xml: cannot be read", StartupFailure(templates).Message);
    }

    [Fact]
    public void Every_broken_template_is_listed_not_only_the_first()
    {
        using var templates = new TemplateFolder();
        templates.Replace("fallback.xml", "<Hangup/>", "<HangUp/>");
        templates.Replace("conference.xml", "{{room}}", "{{roomName}}");

        var error = StartupFailure(templates);

        Assert.Contains(error.Errors, e => e.File == "fallback.xml");
        Assert.Contains(error.Errors, e => e.File == "conference.xml");
    }

    [Fact]
    public void Shipped_templates_start_and_a_missing_folder_does_not()
    {
        using (var templates = new TemplateFolder())
        using (var factory = new AppServerFactory(new Dictionary<string, string?> { [templates.Setting.Key] = templates.Setting.Value }))
            factory.StartServer();

        using var none = new AppServerFactory(new Dictionary<string, string?> { ["AppServer:Rcml:TemplatesPath"] = "/nonexistent/rcml" });
        var error = Assert.IsType<RcmlTemplateException>(Unwrap(Record.Exception(none.StartServer)));
        Assert.Contains("does not exist", error.Message);
    }

    private static RcmlTemplateException StartupFailure(TemplateFolder templates)
    {
        using var factory = new AppServerFactory(new Dictionary<string, string?> { [templates.Setting.Key] = templates.Setting.Value });
        var thrown = Record.Exception(factory.StartServer);
        return Assert.IsType<RcmlTemplateException>(Unwrap(thrown));
    }

    // The host may wrap the start-up failure; the template problem is somewhere inside.
    private static Exception? Unwrap(Exception? thrown)
    {
        for (var e = thrown; e is not null; e = e.InnerException)
            if (e is RcmlTemplateException) return e;
        if (thrown is AggregateException aggregate)
            return aggregate.Flatten().InnerExceptions.OfType<RcmlTemplateException>().FirstOrDefault() ?? thrown;
        return thrown;
    }
}
