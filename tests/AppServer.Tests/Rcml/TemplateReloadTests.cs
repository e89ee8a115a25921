using AppServer.Rcml;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Rcml;

/// <summary>AppServer on a private copy of the templates that the tests edit while it runs.</summary>
public sealed class EditableTemplatesFixture : AppServerFixture
{
    public TemplateFolder Templates { get; } = new();

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { [Templates.Setting.Key] = Templates.Setting.Value };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Templates.Dispose();
    }
}

public class TemplateReloadTests(EditableTemplatesFixture app) : IClassFixture<EditableTemplatesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private async Task<string> SayOf(string path) =>
        (await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync(path))).Root!.Element("Say")?.Value ?? "";

    /// <summary>Makes an edit and waits until the store has re-read the folder after it.</summary>
    private async Task EditAndWaitForReload(Action edit)
    {
        var store = app.Factory.Services.GetRequiredService<RcmlTemplateStore>();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(IReadOnlyList<RcmlTemplate> _) => reloaded.TrySetResult();
        store.Reloaded += OnReloaded;
        try
        {
            edit();
            await reloaded.Task.WaitAsync(Patience);
        }
        finally
        {
            store.Reloaded -= OnReloaded;
        }
    }

    [Fact]
    public async Task Edited_template_is_used_without_a_restart()
    {
        Assert.StartsWith("We are sorry", await SayOf("/fallback"));

        await EditAndWaitForReload(() =>
            app.Templates.Replace("fallback.xml", "We are sorry, an application error occurred.", "Edited while running."));

        var deadline = DateTime.UtcNow + Patience;
        while (await SayOf("/fallback") != "Edited while running. Goodbye." && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal("Edited while running. Goodbye.", await SayOf("/fallback"));
    }

    [Fact]
    public async Task Broken_edit_at_run_time_keeps_the_last_good_template_and_a_later_fix_is_used()
    {
        var original = app.Templates.Read("dial-action-failed.xml");

        await EditAndWaitForReload(() => app.Templates.Write("dial-action-failed.xml", "<Response><Say>half a file"));
        var afterBrokenEdit = await RcmlAssert.ValidRcmlAsync(await app.Client.PostFormAsync("/dial-action", new Dictionary<string, string>
        {
            ["CallSid"] = Webhook.NewCallSid(), ["DialCallStatus"] = "failed",
        }));
        Assert.Equal("We are sorry, your call could not be connected. Please try again later.",
            afterBrokenEdit.Root!.Element("Say")!.Value);

        await EditAndWaitForReload(() =>
            app.Templates.Write("dial-action-failed.xml", original.Replace("Please try again later.", "Fixed.")));
        var deadline = DateTime.UtcNow + Patience;
        string said;
        do
        {
            var fixedAnswer = await RcmlAssert.ValidRcmlAsync(await app.Client.PostFormAsync("/dial-action", new Dictionary<string, string>
            {
                ["CallSid"] = Webhook.NewCallSid(), ["DialCallStatus"] = "failed",
            }));
            said = fixedAnswer.Root!.Element("Say")!.Value;
            if (said.EndsWith("Fixed.", StringComparison.Ordinal)) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal("We are sorry, your call could not be connected. Fixed.", said);
    }
}
