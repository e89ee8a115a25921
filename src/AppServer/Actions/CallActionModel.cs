using AppServer.Data;
using Microsoft.EntityFrameworkCore;

namespace AppServer.Actions;

/// <summary>EF mapping of actions and their CallAPI request log (called from AppDbContext). The tables keep their API name.</summary>
public static class CallActionModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<CallAction>(action =>
        {
            action.ToTable("Transfers");
            action.HasKey(a => a.Id);
            action.Property(a => a.Id).HasMaxLength(40);
            action.Property(a => a.IdempotencyKey).HasMaxLength(ActionRules.MaxIdempotencyKeyLength);
            action.HasIndex(a => a.IdempotencyKey).IsUnique();
            action.HasIndex(a => a.LockedCallSid).IsUnique();
            action.HasIndex(a => new { a.CallSid, a.State });
            action.HasIndex(a => a.Room);
            action.Property(a => a.CreatedCallSids).AsJson();
            action.HasMany(a => a.Requests).WithOne().HasForeignKey(r => r.ActionId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<CallApiRequestRecord>(request =>
        {
            request.ToTable("CallApiRequests");
            request.HasKey(r => r.Id);
            request.Property(r => r.ActionId).HasColumnName("TransferId");
            request.Property(r => r.Form).AsJson();
        });
    }
}
