using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AppServer.Data;

/// <summary>
/// Per-connection settings: a busy timeout so concurrent webhooks (or a second process) wait for the write lock instead of
/// failing with "database is locked", and FULL sync so an acknowledged webhook survives a power cut. WAL itself is persistent in the file
/// and set once at start-up.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    internal const string Text = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";

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
