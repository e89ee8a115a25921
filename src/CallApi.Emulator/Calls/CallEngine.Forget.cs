namespace CallApi.Emulator.Calls;

public sealed partial class CallEngine
{
    /// <summary>
    /// POST /emulator/calls/{sid}/forget: the platform loses the leg (for reconciliation tests). It leaves the registry
    /// silently — no callback, its runner and any pending move stopped, out of its room without endConferenceOnExit —
    /// and is marked ended inside so nothing can act on it any more. Whoever it was with is not told: a Dial partner
    /// stays up and hears silence, a room goes on without it. Afterwards the REST API knows the call no more than an
    /// unknown one (GET 404, modification 406). Answers the call as it was; 404 for an unknown call.
    /// </summary>
    public ApiAnswer Forget(string sid)
    {
        lock (Gate)
        {
            if (!registry.Calls.Remove(sid, out var call))
            {
                return ApiAnswer.Error(404, "No such call.");
            }
            var before = CallResource.Of(call);
            StopExecutionLocked(call);
            if (call.ConferenceName is not null)
            {
                LeaveConferenceLocked(call, quietly: true);
            }
            if (!call.IsEnded)
            {
                // Not EndLocked: that would tell its Dial, its partner and the application.
                SetStatusLocked(call, CallStatus.Completed);
                call.EndTime = time.GetUtcNow();
            }
            logger.LogInformation("Call {CallSid} forgotten", sid);
            return ApiAnswer.Ok(before);
        }
    }
}
