using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AppServer.Transfers;

/// <summary>EF mapping of transfers and their CallAPI request log (called from AppDbContext).</summary>
public static class TransferModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Transfer>(transfer =>
        {
            transfer.HasKey(t => t.Id);
            transfer.Property(t => t.Id).HasMaxLength(40);
            transfer.Property(t => t.IdempotencyKey).HasMaxLength(TransferRules.MaxIdempotencyKeyLength);
            transfer.HasIndex(t => t.IdempotencyKey).IsUnique();
            transfer.HasIndex(t => new { t.CallSid, t.State });
            transfer.HasIndex(t => t.Room);
            AsJson(transfer.Property(t => t.CreatedCallSids),
                new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, HashCode.Combine), v => v.ToList()));
            transfer.HasMany(t => t.Requests).WithOne().HasForeignKey(r => r.TransferId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<CallApiRequestRecord>(request =>
        {
            request.ToTable("CallApiRequests");
            request.HasKey(r => r.Id);
            AsJson(request.Property(r => r.Form), new ValueComparer<Dictionary<string, string>>(
                (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                v => new Dictionary<string, string>(v, StringComparer.Ordinal)));
        });
    }

    private static void AsJson<T>(PropertyBuilder<T> property, ValueComparer<T> comparer) where T : new() =>
        property.HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Default),
                v => JsonSerializer.Deserialize<T>(v, JsonSerializerOptions.Default) ?? new T())
            .Metadata.SetValueComparer(comparer);
}
