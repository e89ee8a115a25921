using AppServer.Actions;
using AppServer.Calls;
using Microsoft.EntityFrameworkCore;

namespace AppServer.Data;

/// <summary>
/// The application's tables. This type is the SQLite context (its migrations are in Data/Migrations);
/// <see cref="PostgreSql.PostgresAppDbContext"/> derives from it with the same model and its own migrations, so the rest of the app
/// asks for an <see cref="AppDbContext"/> whichever provider is configured.
/// </summary>
public class AppDbContext : DbContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options)
    {
    }

    /// <summary>For the provider-specific contexts deriving from this one.</summary>
    protected AppDbContext(DbContextOptions options) : base(options)
    {
    }

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

    /// <remarks>PostgreSQL overrides this: it stores <c>timestamptz</c>, which orders natively.</remarks>
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
