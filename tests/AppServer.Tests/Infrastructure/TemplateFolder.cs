namespace AppServer.Tests.Infrastructure;

/// <summary>
/// A private copy of the shipped rcml-templates/ that a test may break or edit; point AppServer:Rcml:TemplatesPath at it.
/// </summary>
public sealed class TemplateFolder : IDisposable
{
    private static readonly string Shipped = System.IO.Path.Combine(AppContext.BaseDirectory, "rcml-templates");

    public TemplateFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "appserver-tests", "templates-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.GetFiles(Shipped))
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
    }

    public string Path { get; }

    /// <summary>The settings override that makes an <see cref="AppServerFactory"/> use this folder.</summary>
    public KeyValuePair<string, string?> Setting => new("AppServer:Rcml:TemplatesPath", Path);

    public string Read(string file) => File.ReadAllText(System.IO.Path.Combine(Path, file));

    public void Write(string file, string text) => File.WriteAllText(System.IO.Path.Combine(Path, file), text);

    /// <summary>Rewrites one file, failing loudly if the text to change is not there (the test would prove nothing).</summary>
    public void Replace(string file, string oldText, string newText)
    {
        var text = Read(file);
        Assert.Contains(oldText, text);
        Write(file, text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a watcher may still hold it; the temp folder is cleaned eventually */ }
    }
}
