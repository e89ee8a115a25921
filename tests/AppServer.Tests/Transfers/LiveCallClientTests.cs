using AppServer.CallApi;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Transfers;

/// <summary>The CallAPI client on its own, against the fake platform.</summary>
public class LiveCallClientTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    private LiveCallClient Client => app.Factory.Services.GetRequiredService<LiveCallClient>();

    [Fact]
    public async Task Modify_sends_every_parameter_that_is_set()
    {
        var sid = Webhook.NewCallSid();
        var journal = new CallApiJournal();

        await Client.ModifyCallAsync(sid, new LiveCallModification
        {
            Url = "http://x/a", Method = "GET", Status = "completed", Mute = false, FallbackUrl = "http://x/f", FallbackMethod = "GET",
            StatusCallback = "http://x/s", StatusCallbackMethod = "POST", MoveConnectedCallLeg = true,
        }, journal, CancellationToken.None);

        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal(
            [
                "FallbackMethod", "FallbackUrl", "Method", "MoveConnectedCallLeg", "Mute", "Status", "StatusCallback",
                "StatusCallbackMethod", "Url",
            ],
            request.FieldNames);
        Assert.Equal("false", request.Field("Mute"));
        Assert.Equal("true", request.Field("MoveConnectedCallLeg"));
        Assert.Single(journal.Drain());
    }

    [Fact]
    public async Task Create_sends_timeout_and_callbacks_and_reads_the_new_call()
    {
        var to = "client:" + Guid.NewGuid().ToString("N")[..10];

        var legs = await Client.CreateCallAsync(new OutgoingCall
        {
            From = "+15550001111", To = to, Url = "http://x/rcml", Method = "GET", Timeout = 25,
            StatusCallback = "http://x/s", StatusCallbackMethod = "POST", StatusCallbackEvent = "ringing,completed",
            FallbackUrl = "http://x/f",
        }, null, CancellationToken.None);

        var request = Assert.Single(app.CallApi.RequestsMentioning(to));
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls.json", request.Path);
        Assert.Equal("25", request.Field("Timeout"));
        Assert.Equal("ringing,completed", request.Field("StatusCallbackEvent"));
        Assert.Equal(to, Assert.Single(legs).To);
    }

    [Fact]
    public async Task Read_gets_the_json_call_resource()
    {
        var sid = Webhook.NewCallSid();

        var call = await Client.ReadCallAsync(sid, null, CancellationToken.None);

        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal("GET", request.Method);
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", request.Path);
        Assert.Equal(FakeCallApi.ExpectedAuthorization, request.Authorization);
        Assert.Equal(sid, call.Sid);
        Assert.Equal("in-progress", call.Status);
    }

    [Fact]
    public async Task Errors_carry_the_platform_status_and_plain_text_message()
    {
        var sid = Webhook.NewCallSid();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Text(410, "Call is already completed."));

        var error = await Assert.ThrowsAsync<CallApiException>(() => Client.ReadCallAsync(sid, null, CancellationToken.None));

        Assert.Equal(CallApiFailure.HttpError, error.Failure);
        Assert.Equal(410, error.StatusCode);
        Assert.Equal("Call is already completed.", error.PlatformMessage);
    }
}
