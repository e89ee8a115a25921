using AppServer.Actions;
using AppServer.Calls;
using Microsoft.EntityFrameworkCore;

namespace AppServer.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<Call> Calls => Set<Call>();
    public DbSet<CallAction> Actions => Set<CallAction>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Call>(call =>
        {
            call.HasKey(c => c.CallSid);
            call.Property(c => c.CallSid).HasMaxLength(CallSidRules.MaxLength);
            call.Property(c => c.Parameters).AsJson();
            call.Property(c => c.Version).IsConcurrencyToken();
            call.HasIndex(c => c.CreatedAt);
            call.HasIndex(c => c.CallStatus);
            call.HasIndex(c => c.CustomerCallSid);
            call.HasIndex(c => c.Room);
        });
        CallActionModel.Configure(model);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite cannot order or compare DateTimeOffset; store UTC ticks so ORDER BY works everywhere.
        conventions.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToTicksConverter>();
    }
}

/// <summary>Stores DateTimeOffset as UTC ticks (sortable in SQLite).</summary>
public sealed class DateTimeOffsetToTicksConverter()
    : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
