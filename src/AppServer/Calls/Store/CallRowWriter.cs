using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using AppServer.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace AppServer.Calls.Store;

/// <summary>
/// The write half of the call store for <see cref="CallWriteQueue"/>: reads and writes <c>Calls</c> rows with
/// prepared SQLite statements on one long-lived connection, instead of EF Core's change tracker (which, per
/// entity, cost more CPU than the whole rest of a webhook). Tables, columns and value conversions (UTC ticks,
/// the Parameters JSON) all come from the EF model, so a property added to <see cref="Call"/> is written here too.
/// Inserts and updates bind their values straight through SQLite's C API (<see cref="raw"/>): Microsoft.Data.Sqlite's
/// per-parameter binders and statement enumerators were most of the single writer's own cost per row (bench/NOTES.md).
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
    private readonly RowStatement _insert;
    private readonly RowStatement _update;

    /// <param name="ProviderType">The type the value is stored as, without Nullable (worked out once, not per row).</param>
    private sealed record Column(string Name, PropertyInfo Property, ValueConverter? Converter, Type ProviderType)
    {
        // Compiled once: reflection's GetValue/SetValue per column and row was measurable in the writer's profile.
        private readonly Func<Call, object?> _get = Getter(Property);
        private readonly Action<Call, object?> _set = Setter(Property);

        /// <summary>The value as stored: the property, then the EF converter.</summary>
        public object? ProviderValue(Call call)
        {
            var value = _get(call);
            return value is not null && Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }

        /// <summary>Sets the property from a value as stored (null, or already converted back by the EF converter).</summary>
        public void Set(Call call, object? value) => _set(call, value);

        private static Func<Call, object?> Getter(PropertyInfo property)
        {
            var call = Expression.Parameter(typeof(Call));
            var get = Expression.Convert(Expression.Property(call, property), typeof(object));
            return Expression.Lambda<Func<Call, object?>>(get, call).Compile();
        }

        private static Action<Call, object?> Setter(PropertyInfo property)
        {
            var call = Expression.Parameter(typeof(Call));
            var value = Expression.Parameter(typeof(object));
            var set = Expression.Assign(Expression.Property(call, property), Expression.Convert(value, property.PropertyType));
            return Expression.Lambda<Action<Call, object?>>(set, call, value).Compile();
        }
    }

    private CallRowWriter(SqliteConnection connection, IEntityType entity)
    {
        _connection = connection;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        _columns = entity.GetProperties().Select(p => new Column(
            p.GetColumnName(table) ?? throw new InvalidOperationException($"Call.{p.Name} has no column."),
            p.PropertyInfo
                ?? throw new InvalidOperationException($"Call.{p.Name} is a shadow property; the call writer needs CLR properties."),
            p.GetTypeMapping().Converter,
            StoredType(p.GetTypeMapping().Converter?.ProviderClrType ?? p.ClrType))).ToArray();
        var key = entity.FindPrimaryKey()!.Properties.Single();
        _keyIndex = Array.FindIndex(_columns, c => c.Property.Name == key.Name);
        _versionIndex = Array.FindIndex(_columns, c => c.Property.Name == nameof(Call.Version));
        if (_keyIndex < 0 || _versionIndex < 0) throw new InvalidOperationException("Calls needs its CallSid key and Version columns.");

        var tableName = Quote(table.Name);
        var columnList = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        // If a later statement cannot be prepared, the earlier ones must not outlive this constructor on a pooled connection.
        try
        {
            var keyColumn = Quote(_columns[_keyIndex].Name);
            _select = Command($"SELECT {columnList} FROM {tableName} WHERE {keyColumn} IN (SELECT value FROM json_each($sids))");
            _select.Parameters.Add("$sids", SqliteType.Text);

            _insert = new RowStatement(connection, _columns,
                $"INSERT INTO {tableName} ({columnList}) VALUES ({string.Join(", ", _columns.Select((_, i) => "$p" + i))})");

            var assignments = string.Join(", ", _columns.Select((c, i) => (c, i))
                .Where(x => x.i != _keyIndex).Select(x => $"{Quote(x.c.Name)} = $p{x.i}"));
            _update = new RowStatement(connection, _columns,
                $"UPDATE {tableName} SET {assignments} "
                + $"WHERE {keyColumn} = $p{_keyIndex} AND {Quote(_columns[_versionIndex].Name)} = $original");
        }
        catch
        {
            _select?.Dispose();
            _insert?.Dispose();
            throw;
        }
    }

    /// <summary>Opens the writer's own connection to the database <paramref name="db"/> uses, with the same pragmas.</summary>
    public static CallRowWriter Open(AppDbContext db, SqlitePragmas settings)
    {
        var connection = new SqliteConnection(db.Database.GetConnectionString());
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = settings.Text;
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
                column.Set(call, value);
            }
            calls[call.CallSid] = call;
        }
        return calls;
    }

    /// <summary>Inserts a new row (inside the transaction <see cref="Begin"/> opened).</summary>
    public void Insert(Call call) => _insert.Execute(call, originalVersion: null);

    /// <summary>Writes every column of a row read in this transaction; <paramref name="originalVersion"/> is its Version as read.</summary>
    public void Update(Call call, long originalVersion)
    {
        if (_update.Execute(call, originalVersion) != 1)
            throw new DbUpdateConcurrencyException($"Call '{call.CallSid}' changed or vanished while it was being written.");
    }

    private static object? FromProvider(object stored, Column column)
    {
        var value = stored.GetType() == column.ProviderType
            ? stored
            : Convert.ChangeType(stored, column.ProviderType, CultureInfo.InvariantCulture);
        return column.Converter is { } converter ? converter.ConvertFromProvider(value) : value;
    }

    private SqliteCommand Command(string text)
    {
        var command = _connection.CreateCommand();
        command.CommandText = text;
        return command;
    }

    private static Type StoredType(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public void Dispose()
    {
        _select.Dispose();
        _insert.Dispose();
        _update.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// One INSERT or UPDATE prepared once on the writer's connection. Column values are bound by position
    /// ($p0…$pN in column order, then $original) straight through SQLite's C API; text is bound as UTF-16 and
    /// copied by SQLite (SQLITE_TRANSIENT), so nothing is allocated per value.
    /// </summary>
    private sealed class RowStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly Column[] _columns;
        private readonly int[] _columnIndexes;
        private readonly int _originalIndex;

        public RowStatement(SqliteConnection connection, Column[] columns, string sql)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("The writer's connection is not open.");
            Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
            _columns = columns;
            _columnIndexes = Enumerable.Range(0, columns.Length)
                .Select(i => raw.sqlite3_bind_parameter_index(_statement, "$p" + i)).ToArray();
            _originalIndex = raw.sqlite3_bind_parameter_index(_statement, "$original");
        }

        /// <summary>Binds the row, runs the statement and returns how many rows it changed.</summary>
        public int Execute(Call call, long? originalVersion)
        {
            for (var i = 0; i < _columns.Length; i++)
                if (_columnIndexes[i] > 0) Check(Bind(_columnIndexes[i], _columns[i].ProviderValue(call)));
            if (_originalIndex > 0) Check(raw.sqlite3_bind_int64(_statement, _originalIndex, originalVersion ?? 0));

            var result = raw.sqlite3_step(_statement);
            if (result != raw.SQLITE_DONE)
            {
                var error = new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
                raw.sqlite3_reset(_statement);
                throw error;
            }
            raw.sqlite3_reset(_statement);
            return raw.sqlite3_changes(_db);
        }

        private int Bind(int index, object? value) => value switch
        {
            null => raw.sqlite3_bind_null(_statement, index),
            // An empty span may have no address, which SQLite would read as NULL: bind "" the ordinary way.
            string { Length: 0 } => raw.sqlite3_bind_text(_statement, index, ""),
            string text => raw.sqlite3_bind_text16(_statement, index, text.AsSpan()),
            long number => raw.sqlite3_bind_int64(_statement, index, number),
            int number => raw.sqlite3_bind_int64(_statement, index, number),
            bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(_statement, index, real),
            byte[] blob => raw.sqlite3_bind_blob(_statement, index, blob),
            _ => throw new InvalidOperationException($"The call writer cannot bind a {value.GetType().Name}; add it to RowStatement.Bind."),
        };

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(result, _db);
        }

        public void Dispose() => _statement.Dispose();
    }
}
