using System.Net;
using AppServer.Agents;
using AppServer.Rcml;
using AppServer.Tests.Infrastructure;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Rcml;

public class RcmlRouteTests(RcmlFixture app) : IClassFixture<RcmlFixture>
{
    public static TheoryData<string> RcmlRoutes => new()
    {
        "/CallToAlice", "/CallToCarol", "/CallToDave", "/Conference?room=room_1", "/Dial?address=client%3Azoe", "/fallback",
    };

    [Theory]
    [MemberData(nameof(RcmlRoutes))]
    public async Task Every_rcml_route_answers_get_with_valid_rcml(string path) =>
        await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync(path));

    [Theory]
    [MemberData(nameof(RcmlRoutes))]
    public async Task Every_rcml_route_answers_post_with_valid_rcml(string path) =>
        await RcmlAssert.ValidRcmlAsync(
            await app.Client.PostFormAsync(path, new Dictionary<string, string> { ["CallSid"] = Webhook.NewCallSid() }));

    [Theory]
    [InlineData("/CallToalice")]
    [InlineData("/CallToALICE")]
    [InlineData("/calltoalice")]
    public async Task Agent_name_in_the_route_ignores_case(string path)
    {
        var rcml = await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync(path));
        Assert.Equal("alice", rcml.Root!.Element("Dial")!.Element("Client")!.Value);
    }

    [Fact]
    public async Task Unknown_agent_is_a_404_problem() =>
        await AssertProblem(await app.Client.GetAsync("/CallToMallory"), HttpStatusCode.NotFound, null);

    [Theory]
    [InlineData("/Conference")]
    [InlineData("/Conference?room=")]
    [InlineData("/Conference?room=two%20words")]
    [InlineData("/Conference?room=%3CDial%3E")]
    [InlineData("/Conference?room=r%C3%A9union")]
    [InlineData("/Conference?room=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65
    public async Task Bad_room_is_a_400_problem_naming_room(string path) =>
        await AssertProblem(await app.Client.GetAsync(path), HttpStatusCode.BadRequest, "room");

    [Fact]
    public async Task Room_of_64_characters_is_accepted()
    {
        var room = new string('r', 63) + "9";
        var rcml = await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync("/Conference?room=" + room));
        Assert.Equal(room, rcml.Root!.Element("Dial")!.Element("Conference")!.Value);
    }

    [Fact]
    public async Task Room_posted_in_the_form_body_is_read_as_restcomm_moves_the_query_there()
    {
        var response = await app.Client.PostFormAsync("/Conference",
            new Dictionary<string, string> { ["room"] = "moved-1", ["CallSid"] = Webhook.NewCallSid() });
        var rcml = await RcmlAssert.ValidRcmlAsync(response);
        Assert.Equal("moved-1", rcml.Root!.Element("Dial")!.Element("Conference")!.Value);
    }

    [Theory]
    [InlineData("/Dial")]
    [InlineData("/Dial?address=")]
    [InlineData("/Dial?address=alice")]
    [InlineData("/Dial?address=client%3A%3Cx%3E")]
    [InlineData("/Dial?address=sip%3Anobody")]
    public async Task Bad_dial_address_is_a_400_problem_naming_address(string path) =>
        await AssertProblem(await app.Client.GetAsync(path), HttpStatusCode.BadRequest, "address");

    [Fact]
    public async Task The_dial_address_is_read_even_when_the_platform_posts_its_own_To_beside_it()
    {
        // Restcomm moves the URL's query into the POST body next to its own parameters; names are read ignoring case.
        var response = await app.Client.PostFormAsync("/Dial", new Dictionary<string, string>
        {
            ["address"] = "client:zoe", ["To"] = "+15550001000", ["CallSid"] = Webhook.NewCallSid(),
        });
        var rcml = await RcmlAssert.ValidRcmlAsync(response);
        Assert.Equal("zoe", rcml.Root!.Element("Dial")!.Element("Client")!.Value);
    }

    [Fact]
    public async Task Rcml_routes_need_the_webhook_token_when_one_is_configured()
    {
        using var anonymous = app.Factory.CreateClient();
        await AssertProblem(await anonymous.GetAsync("/CallToAlice"), HttpStatusCode.Unauthorized, null);
        await RcmlAssert.ValidRcmlAsync(await anonymous.GetAsync("/fallback?token=" + RcmlFixture.Token));
    }

    [Fact]
    public async Task Rcml_routes_accept_platform_parameters_without_a_call_sid() =>
        await RcmlAssert.ValidRcmlAsync(await app.Client.PostFormAsync("/CallToAlice",
            new Dictionary<string, string> { ["AccountSid"] = "AC1", ["CallStatus"] = "in-progress" }));

    [Fact]
    public async Task Every_url_inside_rcml_is_absolute_under_the_public_base_url_with_the_token()
    {
        var rcml = await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync("/CallToAlice"));
        Assert.Equal("http://appserver.test/dial-action?token=" + RcmlFixture.Token,
            rcml.Root!.Element("Dial")!.Attribute("action")!.Value);
    }

    [Theory]
    [InlineData("alice", "/CallToAlice")]
    [InlineData("Carol", "/CallToCarol")]
    [InlineData("dave", "/CallToDave")]
    public async Task Paths_given_to_the_transfer_service_lead_to_the_agent(string agent, string expected)
    {
        Assert.Equal(expected, RcmlPaths.CallToAgent(agent));
        await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync(RcmlPaths.CallToAgent(agent)));
    }

    [Fact]
    public async Task Conference_and_dial_paths_given_to_the_transfer_service_answer_rcml()
    {
        Assert.Equal("/Conference?room=sales_1", RcmlPaths.Conference("sales_1"));
        Assert.Throws<ArgumentException>(() => RcmlPaths.Conference("no spaces"));
        Assert.True(AgentAddress.TryParse("sip:ops@pbx.example.com", out var sip, out _));
        Assert.Equal("/Dial?address=sip%3Aops%40pbx.example.com", RcmlPaths.Dial(sip));
        Assert.Equal("/fallback", RcmlPaths.Fallback);

        await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync(RcmlPaths.Conference("sales_1")));
        var dial = await RcmlAssert.ValidRcmlAsync(await app.Client.GetAsync(RcmlPaths.Dial(sip)));
        Assert.Equal("sip:ops@pbx.example.com", dial.Root!.Element("Dial")!.Element("Sip")!.Value);
    }

    [Fact]
    public async Task Openapi_lists_the_rcml_routes()
    {
        var openApi = await app.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/CallTo{agent}\"", openApi);
        Assert.Contains("\"/Conference\"", openApi);
        Assert.Contains("\"/fallback\"", openApi);
    }
}
