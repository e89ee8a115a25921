using System.Net;
using System.Net.Sockets;
using System.Text;
using AppServer.CallApi;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Transfers;

/// <summary>
/// The CallAPI client in a container of its own (no app, so settings can change between requests): its retry, timeout,
/// the credentials check and what its failures say, against the fake platform or a port nobody listens on.
/// </summary>
public sealed class LiveCallClientPipelineTests : IAsyncLifetime
{
    private readonly FakeCallApi _platform = new();
    private IConfigurationRoot _settings = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _platform.StartAsync();
        _settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CallApi:BaseUrl"] = _platform.BaseUrl,
            ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
            ["CallApi:AuthToken"] = FakeCallApi.AuthToken,
            ["CallApi:TimeoutSeconds"] = "5",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddSingleton<IConfiguration>(_settings)
            .AddCallApi().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _platform.DisposeAsync();
    }

    private LiveCallClient Client => _services.GetRequiredService<LiveCallClient>();

    /// <summary>As a configuration reload would: the next request must see it.</summary>
    private void Reconfigure(string key, string value)
    {
        _settings[key] = value;
        _settings.Reload();
    }

    private static string Outcomes(CallApiJournal journal) => string.Join(",", journal.Drain().Select(e => e.Outcome));

    private static string NobodyListening()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/restcomm";
    }

    [Fact]
    public async Task A_refused_connection_names_the_url_and_its_key_a_modify_tries_twice_and_a_new_BaseUrl_applies_to_the_next_request()
    {
        var nowhere = NobodyListening();
        Reconfigure("CallApi:BaseUrl", nowhere);
        var sid = Webhook.NewCallSid();
        var journal = new CallApiJournal();

        var error = await Assert.ThrowsAsync<CallApiException>(() =>
            Client.ModifyCallAsync(sid, new LiveCallModification { Status = "completed" }, journal, CancellationToken.None));

        Assert.Equal(CallApiFailure.ConnectionFailed, error.Failure);
        Assert.Null(error.StatusCode);
        Assert.Equal($"Could not reach CallAPI at {nowhere} (CallApi:BaseUrl): Connection refused.", error.PlatformMessage);
        Assert.Equal("ConnectionFailed,ConnectionFailed", Outcomes(journal));

        Reconfigure("CallApi:BaseUrl", _platform.BaseUrl);
        await Client.ModifyCallAsync(sid, new LiveCallModification { Status = "completed" }, journal, CancellationToken.None);
        Assert.Single(_platform.RequestsMentioning(sid));
        Assert.Equal("Succeeded", Outcomes(journal));
    }

    [Fact]
    public async Task A_create_is_tried_once_when_the_connection_is_refused()
    {
        Reconfigure("CallApi:BaseUrl", NobodyListening());
        var journal = new CallApiJournal();

        var error = await Assert.ThrowsAsync<CallApiException>(() =>
            Client.CreateCallAsync(
                new OutgoingCall { From = "+15550001111", To = "client:bob", Url = "http://x/rcml" }, journal, CancellationToken.None));

        Assert.Equal(CallApiFailure.ConnectionFailed, error.Failure);
        Assert.Equal("ConnectionFailed", Outcomes(journal));
    }

    [Fact]
    public async Task A_read_is_retried_once_after_a_dropped_connection_and_each_attempt_is_journaled()
    {
        var sid = Webhook.NewCallSid();
        _platform.WhenMentioned(sid, ScriptedResponse.Dropped(), times: 1);
        var journal = new CallApiJournal();

        var call = await Client.ReadCallAsync(sid, journal, CancellationToken.None);

        Assert.Equal(sid, call.Sid);
        Assert.Equal(2, _platform.RequestsMentioning(sid).Count);
        var exchanges = journal.Drain();
        Assert.Equal(["ConnectionFailed", "Succeeded"], exchanges.Select(e => e.Outcome));
        Assert.Equal([null, 200], exchanges.Select(e => e.ResponseStatus));
        Assert.All(exchanges, e => Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", e.Path));
    }

    [Fact]
    public async Task A_timeout_names_the_url_and_both_keys_is_not_retried_and_reloaded_settings_apply_to_the_next_request()
    {
        Reconfigure("CallApi:TimeoutSeconds", "1");
        var sid = Webhook.NewCallSid();
        _platform.WhenMentioned(sid, ScriptedResponse.Slow(TimeSpan.FromSeconds(1.6)));
        var journal = new CallApiJournal();

        var error = await Assert.ThrowsAsync<CallApiException>(() =>
            Client.ModifyCallAsync(sid, new LiveCallModification { Status = "completed" }, journal, CancellationToken.None));

        Assert.Equal(CallApiFailure.Timeout, error.Failure);
        Assert.Equal($"No answer from CallAPI at {_platform.BaseUrl} (CallApi:BaseUrl) within 1 s (CallApi:TimeoutSeconds).",
            error.PlatformMessage);
        Assert.Equal("Timeout", Outcomes(journal));
        Assert.Single(_platform.RequestsMentioning(sid));

        Reconfigure("CallApi:TimeoutSeconds", "10");
        Reconfigure("CallApi:AuthToken", "rotated-token");
        await Client.ModifyCallAsync(sid, new LiveCallModification { Status = "completed" }, journal, CancellationToken.None);
        Assert.Equal("Succeeded", Outcomes(journal));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeCallApi.AccountSid}:rotated-token")),
            _platform.RequestsMentioning(sid)[^1].Authorization);
    }

    [Fact]
    public async Task The_credentials_check_reads_the_account_with_the_configured_credentials()
    {
        await Client.CheckCredentialsAsync(CancellationToken.None);

        var request = Assert.Single(_platform.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"{FakeCallApi.AccountPath}.json", request.Path);
        Assert.Equal(FakeCallApi.ExpectedAuthorization, request.Authorization);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task The_credentials_check_reports_a_refusal_with_the_platform_status(int status)
    {
        _platform.When(r => r.Path == $"{FakeCallApi.AccountPath}.json", ScriptedResponse.Empty(status));

        var error = await Assert.ThrowsAsync<CallApiException>(() => Client.CheckCredentialsAsync(CancellationToken.None));

        Assert.Equal(CallApiFailure.HttpError, error.Failure);
        Assert.Equal(status, error.StatusCode);
        Assert.Single(_platform.Requests);
    }

    [Fact]
    public async Task The_credentials_check_wants_json_not_any_page_answering_200()
    {
        _platform.When(r => r.Path == $"{FakeCallApi.AccountPath}.json", ScriptedResponse.Text(200, "<html>welcome</html>"));

        var error = await Assert.ThrowsAsync<CallApiException>(() => Client.CheckCredentialsAsync(CancellationToken.None));

        Assert.Equal(CallApiFailure.InvalidResponse, error.Failure);
    }
}
