using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AppServer.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add … --context AppDbContext</c> build the SQLite model without the host
/// (tools/add-migration.sh). Without it the tools may take <see cref="PostgreSql.PostgresDesignTimeFactory"/>, whose
/// context is an <see cref="AppDbContext"/> too, and write PostgreSQL's migration into SQLite's folder. Nothing connects.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
