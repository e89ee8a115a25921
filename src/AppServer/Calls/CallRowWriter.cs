using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AppServer.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AppServer.Calls;

/// <summary>
/// The write half of the call store for <see cref="CallWriteQueue"/>: reads and writes <c>Calls</c> rows with
/// prepared SQLite statements on one long-lived connection, instead of EF Core's change tracker (which, per
/// entity, cost more CPU than the whole rest of a webhook). Tables, columns and value conversions (UTC ticks,
/// the Parameters JSON) all come from the EF model, so a property added to <see cref="Call"/> is written here too.
/// Not thread-safe: the queue's single writer owns it, inside <see cref="SqliteWriteGate"/>. EF interceptors do not
/// see these writes.
/// </summary>
internal sealed class CallRowWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Column[] _columns;
    private readonly int _keyIndex;
    private readonly int _versionIndex;
    private readonly SqliteCommand _select;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;

    private sealed record Column(string Name, PropertyInfo Property, ValueConverter? Converter, Type ProviderType);

    private CallRowWriter(SqliteConnection connection, IEntityType entity)
    {
        _connection = connection;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        _columns = entity.GetProperties().Select(p => new Column(
            p.GetColumnName(table) ?? throw new InvalidOperationException($"Call.{p.Name} has no column."),
            p.PropertyInfo ?? throw new InvalidOperationException($"Call.{p.Name} is a shadow property; the call writer needs CLR properties."),
            p.GetTypeMapping().Converter,
            p.GetTypeMapping().Converter?.ProviderClrType ?? p.ClrType)).ToArray();
        var key = entity.FindPrimaryKey()!.Properties.Single();
        _keyIndex = Array.FindIndex(_columns, c => c.Property.Name == key.Name);
        _versionIndex = Array.FindIndex(_columns, c => c.Property.Name == nameof(Call.Version));
        if (_keyIndex < 0 || _versionIndex < 0) throw new InvalidOperationException("Calls needs its CallSid key and Version columns.");

        var tableName = Quote(table.Name);
        var columnList = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        _select = Command($"SELECT {columnList} FROM {tableName} WHERE {Quote(_columns[_keyIndex].Name)} IN (SELECT value FROM json_each($sids))");
        _select.Parameters.Add("$sids", SqliteType.Text);

        _insert = Command($"INSERT INTO {tableName} ({columnList}) VALUES ({string.Join(", ", _columns.Select((_, i) => "$p" + i))})");
        AddColumnParameters(_insert);

        var assignments = string.Join(", ", _columns.Select((c, i) => (c, i)).Where(x => x.i != _keyIndex).Select(x => $"{Quote(x.c.Name)} = $p{x.i}"));
        _update = Command($"UPDATE {tableName} SET {assignments} WHERE {Quote(_columns[_keyIndex].Name)} = $p{_keyIndex} AND {Quote(_columns[_versionIndex].Name)} = $original");
        AddColumnParameters(_update);
        _update.Parameters.Add("$original", SqliteType.Integer);
    }

    /// <summary>Opens the writer's own connection to the database <paramref name="db"/> uses, with the same pragmas.</summary>
    public static CallRowWriter Open(AppDbContext db)
    {
        var connection = new SqliteConnection(db.Database.GetConnectionString());
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = SqlitePragmas.Text;
                pragmas.ExecuteNonQuery();
            }
            return new CallRowWriter(connection, db.Model.FindEntityType(typeof(Call))!);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>BEGIN IMMEDIATE: the write lock is taken before the reads of the read-modify-write.</summary>
    public SqliteTransaction Begin() => _connection.BeginTransaction(deferred: false);

    /// <summary>The stored rows among <paramref name="callSids"/>, by CallSid.</summary>
    public Dictionary<string, Call> Read(SqliteTransaction transaction, IEnumerable<string> callSids)
    {
        _select.Transaction = transaction;
        _select.Parameters[0].Value = JsonSerializer.Serialize(callSids);
        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        using var reader = _select.ExecuteReader();
        while (reader.Read())
        {
            var call = new Call { CallSid = reader.GetString(_keyIndex) };
            for (var i = 0; i < _columns.Length; i++)
            {
                if (i == _keyIndex) continue;
                var column = _columns[i];
                var value = reader.IsDBNull(i) ? null : FromProvider(reader.GetValue(i), column);
                column.Property.SetValue(call, value);
            }
            calls[call.CallSid] = call;
        }
        return calls;
    }

    public void Insert(SqliteTransaction transaction, Call call) => Execute(_insert, transaction, call);

    /// <summary>Writes every column of a row read in this transaction; <paramref name="originalVersion"/> is its Version as read.</summary>
    public void Update(SqliteTransaction transaction, Call call, long originalVersion)
    {
        _update.Parameters["$original"].Value = originalVersion;
        if (Execute(_update, transaction, call) != 1)
            throw new DbUpdateConcurrencyException($"Call '{call.CallSid}' changed or vanished while it was being written.");
    }

    private int Execute(SqliteCommand command, SqliteTransaction transaction, Call call)
    {
        command.Transaction = transaction;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var value = column.Property.GetValue(call);
            if (value is not null && column.Converter is { } converter) value = converter.ConvertToProvider(value);
            command.Parameters[i].Value = value ?? DBNull.Value;
        }
        return command.ExecuteNonQuery();
    }

    private static object? FromProvider(object stored, Column column)
    {
        var type = Nullable.GetUnderlyingType(column.ProviderType) ?? column.ProviderType;
        var value = stored.GetType() == type ? stored : Convert.ChangeType(stored, type, CultureInfo.InvariantCulture);
        return column.Converter is { } converter ? converter.ConvertFromProvider(value) : value;
    }

    private SqliteCommand Command(string text)
    {
        var command = _connection.CreateCommand();
        command.CommandText = text;
        return command;
    }

    private void AddColumnParameters(SqliteCommand command)
    {
        for (var i = 0; i < _columns.Length; i++) command.Parameters.Add(new SqliteParameter("$p" + i, null));
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public void Dispose()
    {
        _select.Dispose();
        _insert.Dispose();
        _update.Dispose();
        _connection.Dispose();
    }
}
