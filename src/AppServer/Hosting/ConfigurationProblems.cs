using System.Text.RegularExpressions;
using AppServer.Rcml;
using Microsoft.Extensions.Options;

namespace AppServer.Hosting;

/// <summary>
/// Turns the exceptions a bad configuration causes at start-up into one short line per problem, each naming its key:
/// options validation (one or several, maybe in an <see cref="AggregateException"/>), a value the binder could not
/// convert, broken RCML templates. Anything else is not a configuration problem and yields nothing.
/// </summary>
public static partial class ConfigurationProblems
{
    private const string TemplatesPathKey = RcmlOptions.Section + ":TemplatesPath";

    public static IReadOnlyList<string> Describe(Exception exception)
    {
        var lines = new List<string>();
        Collect(exception, lines);
        return lines.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void Collect(Exception exception, List<string> lines)
    {
        switch (exception)
        {
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions) Collect(inner, lines);
                break;
            case OptionsValidationException validation:
                lines.AddRange(validation.Failures.Select(Clean));
                break;
            case RcmlTemplateException templates:
                lines.AddRange(templates.Errors.Select(e => e.Message.Contains(TemplatesPathKey, StringComparison.Ordinal)
                    ? e.ToString() : $"{TemplatesPathKey}: {e}"));
                break;
            case InvalidOperationException when ConversionFailure(exception) is { } line:
                lines.Add(line);
                break;
        }
    }

    /// <summary>
    /// "CallApi:TimeoutSeconds: 'abc' is not a valid Int32." for the binder's "Failed to convert configuration value at
    /// 'CallApi:TimeoutSeconds' to type 'System.Int32'." (its value is read back from the configuration by the caller
    /// when it has one: see <see cref="ConversionFailure(Exception, IConfiguration?)"/>). Null for any other exception.
    /// </summary>
    public static string? ConversionFailure(Exception exception, IConfiguration? configuration = null)
    {
        var match = FailedConversion().Match(exception.Message);
        if (!match.Success) return null;
        var key = match.Groups["key"].Value;
        var type = match.Groups["type"].Value;
        type = type[(type.LastIndexOf('.') + 1)..];
        var value = configuration?[key];
        return value is null
            ? $"{key}: the value is not a valid {type}."
            : $"{key}: '{Shorten(value)}' is not a valid {type}.";
    }

    /// <summary>
    /// DataAnnotations wraps each message: "DataAnnotation validation failed for 'CallApiOptions' members: 'TimeoutSeconds'
    /// with the error: 'CallApi:TimeoutSeconds must be between 1 and 300.'." Our messages already name the key: keep them.
    /// </summary>
    private static string Clean(string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        return match.Success ? match.Groups["message"].Value : failure;
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";

    [GeneratedRegex(@"^Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'",
        RegexOptions.Singleline)]
    private static partial Regex FailedConversion();

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<message>.*)'\.$",
        RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
