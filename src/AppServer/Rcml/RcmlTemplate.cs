namespace AppServer.Rcml;

/// <summary>
/// A value a template may use as <c>{{name}}</c>. The samples are what start-up fills in before checking the
/// template against rcml.xsd; several samples (e.g. one address of each kind) are each tried.
/// </summary>
public sealed record Placeholder(string Name, string Description, params string[] Samples)
{
    /// <summary>The value changes from call to call (a caller id, a room): documents using it are not cached.</summary>
    public bool PerCall { get; init; }
}

/// <summary>One document the server sends, the file it comes from and the placeholders it may use.</summary>
public sealed record RcmlTemplate(string FileName, string Description, IReadOnlyList<Placeholder> Placeholders,
    IReadOnlyList<string> Required)
{
    public Placeholder? Find(string name) => Placeholders.FirstOrDefault(p => p.Name == name);

    /// <summary>Sample value sets: the i-th set takes each placeholder's i-th sample (or its last one).</summary>
    public IEnumerable<IReadOnlyDictionary<string, string?>> SampleValueSets()
    {
        var count = Placeholders.Count == 0 ? 1 : Placeholders.Max(p => p.Samples.Length);
        for (var i = 0; i < count; i++)
            yield return Placeholders.ToDictionary(p => p.Name, p => (string?)p.Samples[Math.Min(i, p.Samples.Length - 1)]);
    }

    public override string ToString() => FileName;
}
