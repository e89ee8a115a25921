namespace AppServer.Rcml;

/// <summary>One problem in one template, located so an operator can fix it.</summary>
public sealed record RcmlTemplateError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File} line {Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>The templates cannot be used; start-up stops with every problem listed.</summary>
public sealed class RcmlTemplateException(IReadOnlyList<RcmlTemplateError> errors, string? folder = null)
    : Exception($"RCML templates{(folder is null ? "" : " in " + folder)} are invalid:"
        + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<RcmlTemplateError> Errors { get; } = errors;
}
