using System.Net;
using System.Text;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Security;

/// <summary>Malformed bodies are a 4xx that says what is wrong, never a 500, and nothing is stored.</summary>
public class HostileInputTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    [Theory]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"CallSid\"\r\n\r\nCA123\r\n--b--\r\n")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"CallSid\"\r\n\r\nCA12")] // cut off mid-part
    [InlineData("garbage without any boundary")]
    public async Task A_multipart_body_well_formed_or_not_is_415(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var response = await app.Client.PostAsync("/incoming?token=" + CallApiFixture.WebhookToken, content);
        await ProblemAssert.AssertProblem(response, HttpStatusCode.UnsupportedMediaType, null);
    }

    [Fact]
    public async Task Malformed_json_to_the_agent_api_says_where()
    {
        var response = await app.Agent.PostAsync("/transfer", new StringContent("{not json", Encoding.UTF8, "application/json"));
        var problem = await ProblemAssert.AssertProblem(response, HttpStatusCode.BadRequest, "body");
        Assert.Equal("Malformed JSON body", problem.Title);
        Assert.Contains("not valid JSON", problem.Detail);
        Assert.Contains("line 1", problem.Detail);
    }

    [Fact]
    public async Task A_json_value_of_the_wrong_type_names_the_field()
    {
        var response = await app.Agent.PostAsync("/transfer",
            new StringContent("{\"callSid\": 5, \"to\": \"alice\", \"mode\": \"cold\"}", Encoding.UTF8, "application/json"));
        var problem = await ProblemAssert.AssertProblem(response, HttpStatusCode.BadRequest, "callSid");
        Assert.StartsWith("callSid has the wrong type", problem.Detail);
        var mute = await app.Agent.PostAsync($"/calls/{Webhook.NewCallSid()}/mute",
            new StringContent("{\"muted\": \"yes\"}", Encoding.UTF8, "application/json"));
        await ProblemAssert.AssertProblem(mute, HttpStatusCode.BadRequest, "muted");
    }
}
