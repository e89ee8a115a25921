using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AppServer.Tests.Transfers;

public class CallApiOptionsTests
{
    [Theory]
    [InlineData("CallApi:BaseUrl", "not a url", "CallApi:BaseUrl")]
    [InlineData("CallApi:AuthToken", "", "CallApi:AuthToken")]
    [InlineData("CallApi:TimeoutSeconds", "0", "CallApi:TimeoutSeconds")]
    public async Task Bad_CallApi_settings_stop_start_up_with_a_message_naming_the_key(string key, string value, string named)
    {
        await using var factory = new AppServerFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException
            ?? throw new Xunit.Sdk.XunitException($"Expected an OptionsValidationException, got {error}");
        Assert.Contains(validation.Failures, f => f.Contains(named));
    }
}

public class PendingWindowTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(300)]
    public void A_pending_transfer_blocks_the_call_longer_than_the_slowest_legitimate_transfer_takes(int timeoutSeconds)
    {
        var slowest = TimeSpan.FromSeconds(timeoutSeconds) * AppServer.Actions.CallActionStore.MaxCallApiRequestsPerAction;

        Assert.True(AppServer.Actions.CallActionStore.PendingBlocksFor(timeoutSeconds) > slowest);
    }
}
