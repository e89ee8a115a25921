using CallApi.Emulator.Activity;
using CallApi.Emulator.Calls;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Conferences;

/// <summary>A conference room; it exists while it has members.</summary>
internal sealed class Conference(string name, DateTimeOffset createdAt)
{
    public string Name { get; } = name;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public List<ConferenceMember> Members { get; } = [];
}

/// <summary>A call in a room; <see cref="Left"/> wakes its runner when the conference ends under it.</summary>
internal sealed class ConferenceMember(Call call, ConferenceNoun noun, Wakeup<bool> left)
{
    public Call Call { get; } = call;
    public ConferenceNoun Noun { get; } = noun;
    public Wakeup<bool> Left { get; } = left;
}
