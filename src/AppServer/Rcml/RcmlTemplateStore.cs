using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AppServer.Rcml;

/// <summary>
/// The templates of AppServer:Rcml:TemplatesPath, compiled once and recompiled when a file in the folder changes.
/// At start-up any problem is fatal; at run time a broken edit is logged and the last good version stays in use,
/// so a typo in production never turns calls into 500s.
/// </summary>
public sealed class RcmlTemplateStore : IDisposable
{
    private readonly ILogger<RcmlTemplateStore> _logger;
    private readonly Lock _reloadLock = new();
    private PhysicalFileProvider? _files;
    private IDisposable? _watch;
    private volatile Loaded? _current;
    private bool _disposed;

    private sealed record Loaded(RcmlSchema Schema, IReadOnlyDictionary<RcmlTemplate, CompiledTemplate> Templates);

    public RcmlTemplateStore(IOptions<RcmlOptions> options, ILogger<RcmlTemplateStore> logger)
    {
        _logger = logger;
        Folder = options.Value.FullTemplatesPath;
    }

    public string Folder { get; }

    /// <summary>Raised after a reload, with the templates that were replaced (tests wait on it).</summary>
    public event Action<IReadOnlyList<RcmlTemplate>>? Reloaded;

    public CompiledTemplate Get(RcmlTemplate template)
    {
        var current = _current ?? LoadOrThrow();
        return current.Templates[template];
    }

    /// <summary>Compiles every template; throws <see cref="RcmlTemplateException"/> listing every problem.</summary>
    public void EnsureLoaded() => _ = _current ?? LoadOrThrow();

    private Loaded LoadOrThrow()
    {
        lock (_reloadLock)
        {
            if (_current is { } loaded) return loaded;
            if (!Directory.Exists(Folder))
                throw new RcmlTemplateException([new RcmlTemplateError(Folder, 0,
                    "the RCML templates folder (AppServer:Rcml:TemplatesPath) does not exist")]);

            var schema = RcmlSchema.Load(Path.Combine(Folder, RcmlTemplates.SchemaFileName));
            var templates = new Dictionary<RcmlTemplate, CompiledTemplate>();
            var errors = new List<RcmlTemplateError>();
            foreach (var template in RcmlTemplates.All)
            {
                var (compiled, problems) = CompileFile(template, schema);
                if (compiled is not null) templates[template] = compiled;
                errors.AddRange(problems);
            }
            if (errors.Count > 0) throw new RcmlTemplateException(errors, Folder);

            _current = new Loaded(schema, templates);
            _logger.LogInformation("Loaded {Count} RCML templates from {Folder}", templates.Count, Folder);
            Watch();
            return _current;
        }
    }

    private (CompiledTemplate?, IReadOnlyList<RcmlTemplateError>) CompileFile(RcmlTemplate template, RcmlSchema schema)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(Folder, template.FileName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [new RcmlTemplateError(template.FileName, 0, "cannot be read: " + ex.Message)]);
        }
        return CompiledTemplate.Compile(template, text, schema);
    }

    private void Watch()
    {
        if (_disposed) return;
        _watch?.Dispose();
        IChangeToken token;
        try
        {
            _files ??= new PhysicalFileProvider(Folder);
            token = _files.Watch("*");
        }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception)
        {
            // inotify instances are a small per-user budget; polling keeps edits visible when it is spent.
            _logger.LogWarning(ex, "Cannot watch {Folder} for changes; polling it instead", Folder);
            _files?.Dispose();
            _files = new PhysicalFileProvider(Folder) { UsePollingFileWatcher = true, UseActivePolling = true };
            token = _files.Watch("*");
        }
        _watch = token.RegisterChangeCallback(_ => Reload(), null);
    }

    private void Reload()
    {
        lock (_reloadLock)
        {
            if (_disposed || _current is not { } previous) return;
            // Watch again first, so an edit landing while we read is not missed.
            Watch();
            // Editors save in several writes; let them finish before reading.
            Thread.Sleep(50);

            var schema = previous.Schema;
            try
            {
                schema = RcmlSchema.Load(Path.Combine(Folder, RcmlTemplates.SchemaFileName));
            }
            catch (RcmlTemplateException ex)
            {
                _logger.LogError("RCML schema edit refused, keeping the last good one: {Errors}", ex.Message);
            }

            var templates = new Dictionary<RcmlTemplate, CompiledTemplate>(previous.Templates);
            var replaced = new List<RcmlTemplate>();
            foreach (var template in RcmlTemplates.All)
            {
                var (compiled, errors) = CompileFile(template, schema);
                if (compiled is null)
                {
                    _logger.LogError("RCML template {File} edit refused, keeping the last good version: {Errors}",
                        template.FileName, string.Join("; ", errors));
                    continue;
                }
                templates[template] = compiled;
                replaced.Add(template);
            }
            _current = new Loaded(schema, templates);
            _logger.LogInformation("Reloaded RCML templates from {Folder}", Folder);
            Reloaded?.Invoke(replaced);
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
            _watch?.Dispose();
            _files?.Dispose();
        }
    }
}
