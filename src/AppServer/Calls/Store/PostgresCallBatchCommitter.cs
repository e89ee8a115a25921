using System.Linq.Expressions;
using System.Reflection;
using AppServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace AppServer.Calls.Store;

/// <summary>
/// PostgreSQL's committer, for any number of instances writing the same calls. A batch is one transaction in two round
/// trips:
/// <list type="number">
/// <item><c>BEGIN</c>; a placeholder row (Version 0) for every call the batch may create, <c>INSERT … ON CONFLICT DO NOTHING</c>;
/// then <c>SELECT … FOR UPDATE</c> of every row of the batch. The placeholders make the row exist before it is locked, so two
/// instances creating one call never both insert: the second waits on the first's insert, then locks the committed row and
/// merges into it (a plain upsert could not merge the Parameters dictionary).</item>
/// <item>Each change applied in memory (<see cref="CallBatch.Apply"/>, the same as SQLite), then one <c>UPDATE … FROM unnest(…)</c>
/// writing every row of the batch, and <c>COMMIT</c> (durable: <c>synchronous_commit</c> waits for the WAL flush, one for
/// the whole group).</item>
/// </list>
/// Both steps take their locks in CallSid order, so two instances' batches cannot deadlock. Columns, key and value
/// conversions come from the EF model, as for SQLite. Not thread-safe: the queue's single writer owns it.
/// </summary>
internal sealed class PostgresCallBatchCommitter : ICallBatchCommitter
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Column[] _columns;
    private readonly int _keyIndex;
    private readonly string _placeholders;
    private readonly string _select;
    private readonly string _update;
    private NpgsqlConnection? _connection;

    public PostgresCallBatchCommitter(NpgsqlDataSource dataSource, IDbContextFactory<AppDbContext> contexts)
    {
        _dataSource = dataSource;
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
        _placeholders = $"INSERT INTO {tableName} ({names}) SELECT * FROM unnest({arrays}) ON CONFLICT ({keyName}) DO NOTHING";
        _select = $"SELECT {names} FROM {tableName} WHERE {keyName} = ANY($1) ORDER BY {keyName} FOR UPDATE";
        var assignments = string.Join(", ", _columns.Where((_, i) => i != _keyIndex).Select(c => $"{c.Name} = v.{c.Name}"));
        _update = $"UPDATE {tableName} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) WHERE t.{keyName} = v.{keyName}";
    }

    public async ValueTask<Call?[]> CommitAsync(IReadOnlyList<ICallWrite> batch, DateTimeOffset now)
    {
        var connection = _connection ??= await _dataSource.OpenConnectionAsync();
        try
        {
            var stored = await LockRowsAsync(connection, batch, now);
            var results = new Call?[batch.Count];
            var changed = new List<Call>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                // Version 0 is this transaction's own placeholder: the call is new.
                stored.TryGetValue(write.CallSid, out var row);
                var call = CallBatch.Apply(write, row is { Version: > 0 } ? row : null, now, out _);
                if (call is null) continue;
                results[i] = call;
                changed.Add(call);
            }

            await using var commit = new NpgsqlBatch(connection);
            if (changed.Count > 0)
            {
                var update = new NpgsqlBatchCommand(_update);
                Bind(update, changed);
                commit.BatchCommands.Add(update);
            }
            commit.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await commit.ExecuteNonQueryAsync();
            if (changed.Count > 0 && commit.BatchCommands[0].RecordsAffected is var written && written != changed.Count)
                throw new DbUpdateConcurrencyException($"{changed.Count - written} locked call rows vanished.");
            return results;
        }
        catch (Exception e)
        {
            // Rolls back whatever is open (the connection goes back to the pool, which resets it); the next batch opens another.
            Close();
            // A broken connection (the server restarted) means the pool's idle ones are broken too: the retry needs a fresh one.
            if (e is NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: IOException }) _dataSource.Clear();
            throw;
        }
    }

    /// <summary>BEGIN, the placeholders, then the batch's rows locked and read, in one round trip.</summary>
    private async Task<Dictionary<string, Call>> LockRowsAsync(NpgsqlConnection connection, IReadOnlyList<ICallWrite> batch,
        DateTimeOffset now)
    {
        await using var lockRows = new NpgsqlBatch(connection);
        lockRows.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        var creates = batch.Where(w => w.CreateIfMissing).Select(w => w.CallSid).Order(StringComparer.Ordinal)
            .Select(sid => new Call { CallSid = sid, CreatedAt = now, UpdatedAt = now }).ToList();
        if (creates.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(_placeholders);
            Bind(insert, creates);
            lockRows.BatchCommands.Add(insert);
        }
        var select = new NpgsqlBatchCommand(_select);
        select.Parameters.Add(new NpgsqlParameter { Value = batch.Select(w => w.CallSid).ToArray() });
        lockRows.BatchCommands.Add(select);

        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        await using var reader = await lockRows.ExecuteReaderAsync();
        while (reader.FieldCount == 0 && await reader.NextResultAsync())
        {
            // BEGIN and INSERT return no rows: move on to the SELECT's
        }
        while (await reader.ReadAsync())
        {
            var call = new Call { CallSid = reader.GetString(_keyIndex) };
            for (var i = 0; i < _columns.Length; i++)
                if (i != _keyIndex) _columns[i].Set(call, reader, i);
            calls[call.CallSid] = call;
        }
        return calls;
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
