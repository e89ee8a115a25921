using Microsoft.Playwright;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// Pictures of the console for docs/: always written under TestResults, and over docs/{name}.png only when
/// UPDATE_DOCS_SCREENSHOT=1, so an ordinary test run never dirties the checkout.
/// </summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var picture = await page.ScreenshotAsync();
        Save(picture, Path.Combine(RepositoryRoot(), "TestResults", name + ".png"));
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOT") == "1")
            Save(picture, Path.Combine(RepositoryRoot(), "docs", name + ".png"));
    }

    private static void Save(byte[] picture, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, picture);
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "AppServer.sln"))) return folder.FullName;
        throw new InvalidOperationException("AppServer.sln not found above " + AppContext.BaseDirectory);
    }
}
