namespace AppServer.Rcml;

/// <summary>The <c>AppServer:Rcml</c> configuration section.</summary>
public sealed class RcmlOptions
{
    public const string Section = "AppServer:Rcml";

    /// <summary>
    /// Folder holding the RCML templates and rcml.xsd. A relative path is taken from the folder of the binaries
    /// (where the build copies the repository-root rcml-templates/), not from the working directory.
    /// </summary>
    public string TemplatesPath { get; set; } = "rcml-templates";

    public string FullTemplatesPath => Path.GetFullPath(TemplatesPath, AppContext.BaseDirectory);
}
