using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Hosting;

/// <summary>A bad configuration stops the real process: exit code 1, one line per problem naming the key, no stack trace.</summary>
[Collection(PublishedAppServerCollection.Name)]
public class StartupConfigurationErrorTests(PublishedAppServer published)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_bad_value_is_reported_at_once_one_line_each_with_exit_code_1()
    {
        await using var app = published.Start(new Dictionary<string, string?>
        {
            ["CallApi__TimeoutSeconds"] = "abc",
            ["AppServer__PublicBaseUrl"] = "not a url",
            ["AppServer__Limits__MaxValueLength"] = "1",
            ["AppServer__Reconciliation__MaxReadsPerMinute"] = "lots",
        });

        var exitCode = await app.WaitForExitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("CallApi:TimeoutSeconds: 'abc' is not a valid Int32.", app.ErrorLines);
        Assert.Contains("AppServer:Reconciliation:MaxReadsPerMinute: 'lots' is not a valid Int32.", app.ErrorLines);
        Assert.Contains("AppServer:PublicBaseUrl must be an absolute http(s) URL, got 'not a url'.", app.ErrorLines);
        Assert.Contains("AppServer:Limits:MaxValueLength must be between 64 and 65536.", app.ErrorLines);
        AssertNoStackTrace(app);
    }

    [Fact]
    public async Task A_value_the_binder_cannot_convert_alone_is_one_line_naming_the_key()
    {
        await using var app = published.Start(new Dictionary<string, string?> { ["CallApi__TimeoutSeconds"] = "abc" });

        var exitCode = await app.WaitForExitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        var problem = Assert.Single(app.ErrorLines, l => l.StartsWith("CallApi:", StringComparison.Ordinal));
        Assert.Equal("CallApi:TimeoutSeconds: 'abc' is not a valid Int32.", problem);
        AssertNoStackTrace(app);
    }

    [Fact]
    public async Task A_missing_template_folder_is_reported_with_the_bad_values()
    {
        await using var app = published.Start(new Dictionary<string, string?>
        {
            ["AppServer__Rcml__TemplatesPath"] = "/nonexistent/rcml",
            ["CallApi__AuthToken"] = "",
        });

        var exitCode = await app.WaitForExitAsync(ExitTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("CallApi:AuthToken is required.", app.ErrorLines);
        Assert.Contains(app.ErrorLines, l => l.Contains("AppServer:Rcml:TemplatesPath", StringComparison.Ordinal)
            && l.Contains("/nonexistent/rcml", StringComparison.Ordinal));
        AssertNoStackTrace(app);
    }

    private static void AssertNoStackTrace(AppServerProcess app)
    {
        Assert.DoesNotContain(app.ErrorLines.Concat(app.OutputLines), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", app.Errors + app.Output, StringComparison.Ordinal);
    }
}
