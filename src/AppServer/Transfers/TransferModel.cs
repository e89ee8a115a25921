using Microsoft.EntityFrameworkCore;
using AppServer.Data;

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
            transfer.Property(t => t.CreatedCallSids).AsJson();
            transfer.HasMany(t => t.Requests).WithOne().HasForeignKey(r => r.TransferId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<CallApiRequestRecord>(request =>
        {
            request.ToTable("CallApiRequests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Form).AsJson();
        });
    }
}
