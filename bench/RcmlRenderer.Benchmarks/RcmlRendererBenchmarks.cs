using AppServer.Rcml;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AppServer.Benchmarks;

/// <summary>
/// Time and allocations per RCML document, for each template of <see cref="RcmlTemplates.All"/>, filled with the
/// template's own sample values (the ones start-up validates): what a response costs, the UTF-8 bytes (cached per value
/// set when every value comes from configuration, written fresh for per-call documents).
/// </summary>
[MemoryDiagnoser]
public class RcmlRendererBenchmarks
{
    private RcmlTemplateStore _store = null!;
    private RcmlRenderer _renderer = null!;
    private RcmlTemplate _template = null!;
    private IReadOnlyDictionary<string, string?> _values = null!;

    public static IEnumerable<string> Templates => RcmlTemplates.All.Select(t => t.FileName);

    [ParamsSource(nameof(Templates))]
    public string Template { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _store = new RcmlTemplateStore(Options.Create(new RcmlOptions { TemplatesPath = TemplatesFolder.Find() }),
            NullLogger<RcmlTemplateStore>.Instance);
        _store.EnsureLoaded();
        _renderer = new RcmlRenderer(_store);
        _template = RcmlTemplates.All.Single(t => t.FileName == Template);
        _values = _template.SampleValueSets().First();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>What RcmlResult sends.</summary>
    [Benchmark]
    public byte[] RenderUtf8() => _renderer.RenderUtf8(_template, _values);
}

/// <summary>The repository's rcml-templates/: RCML_TEMPLATES, else the first one found walking up from here.</summary>
internal static class TemplatesFolder
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("RCML_TEMPLATES") is { Length: > 0 } configured) return Path.GetFullPath(configured);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "rcml-templates");
                if (File.Exists(Path.Combine(candidate, RcmlTemplates.SchemaFileName))) return candidate;
            }
        }
        throw new DirectoryNotFoundException("rcml-templates/ not found above " + AppContext.BaseDirectory + "; set RCML_TEMPLATES.");
    }
}
