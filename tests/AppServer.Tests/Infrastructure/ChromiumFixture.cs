using Microsoft.Playwright;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// One headless system Chromium per test collection, driven by Playwright. Playwright's own browser
/// download cannot work on these machines, so the Debian package is used through ExecutablePath.
/// A missing Chromium fails every browser test with the install command; it never skips them.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string InstallCommand = "apt-get update && apt-get install -y chromium";

    /// <summary>
    /// Bounded waits for every expect(): the page reacts in well under a second; eight leaves room for a CI machine
    /// busy with parallel builds.
    /// </summary>
    public const float ExpectTimeoutMs = 8000;

    // The machine has no internet: without these Chromium stalls on background fetches (updates, sync, metrics).
    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured) && !File.Exists(configured))
            throw new InvalidOperationException(
                $"CHROMIUM_PATH is '{configured}', which does not exist. Unset it, or install Chromium with: {InstallCommand}");
        var executable = FindChromium() ?? await InstallChromiumOnceAsync() ?? throw new InvalidOperationException(
            "The agent console tests need the system Chromium, and none was found on PATH (chromium, chromium-browser, google-chrome). " +
            $"Install it with: {InstallCommand}");
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = LaunchArgs,
            Timeout = 30_000,
        });
    }

    /// <summary>A fresh context (own sessionStorage) and page on a laptop-sized window.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(ExpectTimeoutMs);
        return await context.NewPageAsync();
    }

    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool _installTried;

    /// <summary>
    /// On a fresh Debian machine where the tests run as root (as `dotnet test` does in CI and on the project's
    /// machines), install the Debian package once, so the README's test command works with only the SDK present.
    /// </summary>
    private static async Task<string?> InstallChromiumOnceAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (FindChromium() is { } found) return found;
            if (_installTried || !OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
                return null;
            _installTried = true;
            foreach (var args in new[] { "update -qq", "install -y -qq chromium" })
            {
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/apt-get", args)
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
                })!;
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
                var drainOut = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var drainErr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                await Task.WhenAll(drainOut, drainErr);
            }
            return FindChromium();
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return (from folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                from name in new[] { "chromium", "chromium-browser", "google-chrome" }
                let candidate = Path.Combine(folder, name)
                where File.Exists(candidate)
                select candidate).FirstOrDefault();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Browser";
}
