namespace CallApi.Emulator.Scenario;

/// <summary>How simulated people behave: whether a dialled party answers, and how fast simulated time runs.</summary>
public sealed class ScenarioOptions
{
    /// <summary>Outcome for any party without a rule: answered, busy, no-answer, failed or manual.</summary>
    public string DefaultOutcome { get; set; } = PartyOutcome.Answered;

    /// <summary>Address (client:bob, bob, sip:carol@example.com, +15550001000) → outcome.</summary>
    public Dictionary<string, string> Parties { get; set; } = [];

    /// <summary>How long a party rings before an automatic outcome applies (real milliseconds).</summary>
    public int RingDelayMs { get; set; } = 20;

    /// <summary>Real seconds slept per second of &lt;Pause&gt;: 0 skips pauses so tests stay fast.</summary>
    public double PauseScale { get; set; }

    /// <summary>Real seconds per second of a ring timeout (Dial timeout, create-call Timeout) for manual parties.</summary>
    public double RingTimeoutScale { get; set; } = 1.0;

    /// <summary>
    /// How long after a live modification with Url the modified leg requests its new Url (Restcomm: about 500 ms).
    /// The leg hears silence meanwhile.
    /// </summary>
    public int MoveDelayMs { get; set; } = 500;

    /// <summary>
    /// How long after a modification with MoveConnectedCallLeg=true the other leg of the Dial requests the same Url
    /// (Restcomm: about 1000 ms, so always after the modified leg).
    /// </summary>
    public int MovePartnerDelayMs { get; set; } = 1000;
}
