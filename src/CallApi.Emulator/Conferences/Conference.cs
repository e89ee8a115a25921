using System.Security.Cryptography;
using CallApi.Emulator.Activity;
using CallApi.Emulator.Calls;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Conferences;

/// <summary>
/// One conference: it starts with its first member and is completed when its last member leaves (or a member with
/// endConferenceOnExit does). A room name used again later is a new conference with a new sid, as on Restcomm.
/// </summary>
internal sealed class Conference(string name, DateTimeOffset createdAt)
{
    public string Sid { get; } = "CF" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    public string Name { get; } = name;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public bool Completed { get; set; }
    public List<ConferenceMember> Members { get; } = [];

    /// <summary>Presence-based: the room runs while a startConferenceOnEnter=true member is in it; else everyone waits.</summary>
    public bool Started => Members.Any(m => m.Noun.StartConferenceOnEnter);

    public string Status => Completed ? ConferenceStatus.Completed
        : Started ? ConferenceStatus.RunningModeratorPresent
        : ConferenceStatus.RunningModeratorAbsent;
}

/// <summary>
/// A call in a room; <see cref="Left"/> wakes its runner when the conference ends under it. WaitUrl is the audio
/// file it hears while the room has not started (its noun's waitUrl or the platform's default).
/// </summary>
internal sealed class ConferenceMember(Call call, ConferenceNoun noun, string waitUrl, Wakeup<bool> left)
{
    public Call Call { get; } = call;
    public ConferenceNoun Noun { get; } = noun;
    public string WaitUrl { get; } = waitUrl;
    public Wakeup<bool> Left { get; } = left;
}

/// <summary>Restcomm's conference states (ConferenceStateChanged.State) as its Conferences API shows them.</summary>
public static class ConferenceStatus
{
    public const string RunningModeratorAbsent = "RUNNING_MODERATOR_ABSENT";
    public const string RunningModeratorPresent = "RUNNING_MODERATOR_PRESENT";
    public const string Completed = "COMPLETED";
}
