using System.Linq.Expressions;
using System.Reflection;
using AppServer.Data;
using AppServer.Data.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace AppServer.Calls.Store;

/// <summary>
/// PostgreSQL's committer, for any number of instances writing the same calls. A batch is one transaction in two round
/// trips:
/// <list type="number">
/// <item><c>BEGIN</c> and <c>SELECT … FOR UPDATE</c> of the batch's rows, in CallSid order (so two instances' batches cannot
/// deadlock): from here until the commit no other instance can change them.</item>
/// <item>Each change applied in memory (<see cref="CallBatch.Apply"/>, the same as SQLite), then one
/// <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c> of the new calls, one <c>UPDATE … FROM unnest(…)</c> of the others, the
/// batch's <c>pg_notify</c> for the other instances' consoles, and <c>COMMIT</c> (durable: <c>synchronous_commit</c> waits for
/// the WAL flush, one for the whole group).</item>
/// </list>
/// A new call another instance inserted between the two round trips is not in the RETURNING: nothing was written for it, so
/// its write runs again in a transaction of its own, where it finds the committed row, locks it and merges into it (a plain
/// upsert could not merge the Parameters dictionary). Columns, key and value conversions come from the EF model, as for
/// SQLite. Not thread-safe: the queue's single writer owns it.
/// </summary>
internal sealed class PostgresCallBatchCommitter : ICallBatchCommitter
{
    /// <summary>A write that lost its insert twice in a row would mean rows vanish: give up rather than loop.</summary>
    private const int MaxInsertRaces = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresChangeRelay _relay;
    private readonly Column[] _columns;
    private readonly int _keyIndex;
    private readonly string _insert;
    private readonly string _select;
    private readonly string _update;
    private NpgsqlConnection? _connection;

    public PostgresCallBatchCommitter(NpgsqlDataSource dataSource, IDbContextFactory<AppDbContext> contexts, PostgresChangeRelay relay)
    {
        _dataSource = dataSource;
        _relay = relay;
        using var db = contexts.CreateDbContext();
        var entity = db.Model.FindEntityType(typeof(Call))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        _columns = entity.GetProperties().Select(p => new Column(p, table)).ToArray();
        var key = entity.FindPrimaryKey()!.Properties.Single();
        _keyIndex = Array.FindIndex(_columns, c => c.Property.Name == key.Name);

        var tableName = Quote(table.Name);
        var names = string.Join(", ", _columns.Select(c => c.Name));
        var arrays = string.Join(", ", _columns.Select((c, i) => $"${i + 1}::{c.StoreType}[]"));
        var keyName = _columns[_keyIndex].Name;
        _insert = $"INSERT INTO {tableName} ({names}) SELECT * FROM unnest({arrays}) "
                  + $"ON CONFLICT ({keyName}) DO NOTHING RETURNING {keyName}";
        _select = $"SELECT {names} FROM {tableName} WHERE {keyName} = ANY($1) ORDER BY {keyName} FOR UPDATE";
        var assignments = string.Join(", ", _columns.Where((_, i) => i != _keyIndex).Select(c => $"{c.Name} = v.{c.Name}"));
        _update = $"UPDATE {tableName} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) WHERE t.{keyName} = v.{keyName}";
    }

    public ValueTask<Call?[]> CommitAsync(IReadOnlyList<ICallWrite> batch, DateTimeOffset now) =>
        ValueTask.FromResult(Commit(batch, now, races: 0));

    /// <summary>
    /// Synchronous on purpose, as SQLite's: awaiting each round trip queued the writer's continuation behind every webhook
    /// waiting for the thread pool, and the whole group waited with it (bench/NOTES.md §10).
    /// </summary>
    private Call?[] Commit(IReadOnlyList<ICallWrite> batch, DateTimeOffset now, int races)
    {
        var connection = _connection ??= _dataSource.OpenConnection();
        Call?[] results;
        List<int> lost;
        try
        {
            var stored = LockRows(connection, batch);
            results = new Call?[batch.Count];
            var inserts = new List<Call>();
            var updates = new List<Call>(batch.Count);
            var created = new List<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                var isNew = !stored.TryGetValue(batch[i].CallSid, out var row);
                var call = CallBatch.Apply(batch[i], row, now, out _);
                if (call is null) continue;
                results[i] = call;
                if (isNew) created.Add(i);
                (isNew ? inserts : updates).Add(call);
            }
            var inserted = Write(connection, inserts, updates);
            lost = created.Where(i => !inserted.Contains(batch[i].CallSid)).ToList();
        }
        catch (Exception e)
        {
            // Rolls back whatever is open (the connection goes back to the pool, which resets it); the next batch opens another.
            Close();
            // A broken connection (the server restarted) means the pool's idle ones are broken too: the retry needs a fresh one.
            if (e is NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: IOException }) _dataSource.Clear();
            throw;
        }
        if (lost.Count == 0) return results;
        if (races >= MaxInsertRaces)
            throw new DbUpdateConcurrencyException($"Call '{batch[lost[0]].CallSid}' could neither be inserted nor found.");
        // Another instance created these calls first: merge into its rows now.
        var again = Commit(lost.Select(i => batch[i]).ToList(), now, races + 1);
        for (var j = 0; j < lost.Count; j++) results[lost[j]] = again[j];
        return results;
    }

    /// <summary>BEGIN, then the batch's rows locked and read, in one round trip.</summary>
    private Dictionary<string, Call> LockRows(NpgsqlConnection connection, IReadOnlyList<ICallWrite> batch)
    {
        using var lockRows = new NpgsqlBatch(connection);
        lockRows.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        var select = new NpgsqlBatchCommand(_select);
        select.Parameters.Add(new NpgsqlParameter { Value = batch.Select(w => w.CallSid).ToArray() });
        lockRows.BatchCommands.Add(select);

        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        using var reader = lockRows.ExecuteReader();
        while (reader.FieldCount == 0 && reader.NextResult())
        {
            // BEGIN returns no rows: move on to the SELECT's
        }
        while (reader.Read())
        {
            var call = new Call { CallSid = reader.GetString(_keyIndex) };
            for (var i = 0; i < _columns.Length; i++)
                if (i != _keyIndex) _columns[i].Set(call, reader, i);
            calls[call.CallSid] = call;
        }
        return calls;
    }

    /// <summary>
    /// The inserts (in CallSid order), the updates, the notifications and COMMIT in one round trip; answers the CallSids inserted.
    /// </summary>
    private HashSet<string> Write(NpgsqlConnection connection, List<Call> inserts, List<Call> updates)
    {
        using var write = new NpgsqlBatch(connection);
        NpgsqlBatchCommand? insert = null, update = null;
        if (inserts.Count > 0)
        {
            inserts.Sort((a, b) => string.CompareOrdinal(a.CallSid, b.CallSid));
            insert = new NpgsqlBatchCommand(_insert);
            Bind(insert, inserts);
            write.BatchCommands.Add(insert);
        }
        if (updates.Count > 0)
        {
            update = new NpgsqlBatchCommand(_update);
            Bind(update, updates);
            write.BatchCommands.Add(update);
        }
        // The other instances' consoles hear of these calls when, and only if, the transaction commits.
        foreach (var notification in _relay.Notifications(inserts.Concat(updates).Select(c => c.CallSid)))
            write.BatchCommands.Add(notification);
        write.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = write.ExecuteReader())
        {
            if (insert is not null)
                while (reader.Read()) inserted.Add(reader.GetString(0));
            while (reader.NextResult())
            {
                // the rest runs to its end (COMMIT included) as the reader moves past it
            }
        }
        // Rows locked in the first round trip cannot vanish; if they did, say so rather than answer a write that is not stored.
        if (update is not null && update.RecordsAffected != updates.Count)
            throw new DbUpdateConcurrencyException($"{updates.Count - update.RecordsAffected} locked call rows vanished.");
        return inserted;
    }

    /// <summary>One array parameter per column ($1…), the rows' values in order.</summary>
    private void Bind(NpgsqlBatchCommand command, IReadOnlyList<Call> calls)
    {
        foreach (var column in _columns)
        {
            var values = Array.CreateInstance(column.ElementType, calls.Count);
            for (var i = 0; i < calls.Count; i++) values.SetValue(column.ProviderValue(calls[i]), i);
            command.Parameters.Add(new NpgsqlParameter { Value = values });
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => Close();

    private sealed class Column
    {
        private readonly ValueConverter? _converter;
        private readonly Func<Call, object?> _get;
        private readonly Action<Call, object?> _set;
        private readonly Func<NpgsqlDataReader, int, object> _read;

        public Column(IProperty property, StoreObjectIdentifier table)
        {
            Property = property.PropertyInfo
                ?? throw new InvalidOperationException($"Call.{property.Name} is a shadow property; the call writer needs CLR properties.");
            Name = Quote(property.GetColumnName(table) ?? throw new InvalidOperationException($"Call.{property.Name} has no column."));
            StoreType = property.GetColumnType(table);
            _converter = property.GetTypeMapping().Converter;
            var stored = _converter?.ProviderClrType ?? property.ClrType;
            var plain = Nullable.GetUnderlyingType(stored) ?? stored;
            // Arrays of a value type hold nulls only as Nullable<T>[].
            ElementType = plain.IsValueType && property.IsNullable ? typeof(Nullable<>).MakeGenericType(plain) : plain;
            _read = typeof(Column).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(plain)
                .CreateDelegate<Func<NpgsqlDataReader, int, object>>();
            var call = Expression.Parameter(typeof(Call));
            var value = Expression.Parameter(typeof(object));
            var member = Expression.Property(call, Property);
            _get = Expression.Lambda<Func<Call, object?>>(Expression.Convert(member, typeof(object)), call).Compile();
            _set = Expression.Lambda<Action<Call, object?>>(
                Expression.Assign(member, Expression.Convert(value, Property.PropertyType)), call, value).Compile();
        }

        public PropertyInfo Property { get; }
        public string Name { get; }
        public string StoreType { get; }
        public Type ElementType { get; }

        /// <summary>The value as stored: the property, then the EF converter; times in UTC (timestamptz takes no other offset).</summary>
        public object? ProviderValue(Call call)
        {
            var value = _get(call);
            if (value is DateTimeOffset time) return time.ToUniversalTime();
            return value is not null && _converter is { } converter ? converter.ConvertToProvider(value) : value;
        }

        public void Set(Call call, NpgsqlDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                _set(call, null);
                return;
            }
            var value = _read(reader, ordinal);
            _set(call, _converter is { } converter ? converter.ConvertFromProvider(value) : value);
        }

        private static object Read<T>(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<T>(ordinal)!;
    }
}
