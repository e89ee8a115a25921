using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace AppServer.Data;

/// <summary>
/// Per-connection settings: a busy timeout so concurrent webhooks (or a second process) wait for the write lock instead of
/// failing with "database is locked" (<see cref="DatabaseOptions.BusyTimeoutSeconds"/>, and never longer), and FULL sync so
/// an acknowledged webhook survives a power cut. WAL itself is persistent in the file and set once at start-up.
/// </summary>
public sealed class SqlitePragmas(IOptions<DatabaseOptions> options) : DbConnectionInterceptor
{
    public int BusyTimeoutSeconds => options.Value.BusyTimeoutSeconds;

    public string Text => $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA synchronous = FULL;";

    /// <summary>The connection string with the command timeout that bounds Microsoft.Data.Sqlite's own busy retries.</summary>
    public string WithTimeout(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = BusyTimeoutSeconds }.ToString();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Text;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Text;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
