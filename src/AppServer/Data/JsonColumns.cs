using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AppServer.Data;

/// <summary>Stores a string dictionary or list as one JSON text column, compared by content so edits are saved.</summary>
public static class JsonColumns
{
    public static PropertyBuilder<Dictionary<string, string>> AsJson(this PropertyBuilder<Dictionary<string, string>> property) =>
        Convert(property, new ValueComparer<Dictionary<string, string>>(
            (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
            v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
            v => new Dictionary<string, string>(v, StringComparer.Ordinal)));

    public static PropertyBuilder<List<string>> AsJson(this PropertyBuilder<List<string>> property) =>
        Convert(property, new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, HashCode.Combine),
            v => v.ToList()));

    private static PropertyBuilder<T> Convert<T>(PropertyBuilder<T> property, ValueComparer<T> comparer) where T : new()
    {
        property.HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
                v => JsonSerializer.Deserialize<T>(v, JsonSerializerOptions.Default) ?? new T())
            .Metadata.SetValueComparer(comparer);
        return property;
    }
}
