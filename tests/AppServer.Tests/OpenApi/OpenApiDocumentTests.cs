using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.OpenApi;

/// <summary>
/// /openapi/v1.json against the routes and docs/agent-api.md: every route summarised and described, every documented
/// error declared as problem+json, the X-Api-Key scheme on exactly the agent routes, the transfer modes an enum, the
/// webhooks' form fields written out, and the reference page at /scalar.
/// </summary>
public sealed class OpenApiDocumentTests(AppServerFixture app) : IClassFixture<AppServerFixture>
{
    // Besides the route's own errors, what every route of a kind can answer (docs/agent-api.md's error table; README's
    // webhook section): a bad or missing key, an address that guessed too many secrets, a body that is not a platform form.
    private static readonly int[] Agent = [401, 429];
    private static readonly int[] AgentBody = [.. Agent, 400, 413, 415];
    private static readonly int[] Action = [.. Agent, 400, 404, 409, 422, 500, 502, 504];
    private static readonly int[] WebhookRoute = [400, 401, 403, 413, 415, 429];
    private static readonly int[] Document = [401, 403, 413, 415, 429];

    /// <summary>The error answers each operation must declare. A route missing here fails the test: document it first.</summary>
    private static readonly Dictionary<string, int[]> DocumentedErrors = new()
    {
        ["GET /calls"] = [.. Agent, 400],
        ["GET /calls/{callSid}"] = [.. Agent, 400, 404],
        ["GET /calls/events"] = Agent,
        ["GET /agents"] = Agent,
        ["GET /me"] = Agent,
        ["GET /transfers/{id}"] = [.. Agent, 404],
        ["POST /transfer"] = [.. Action, .. AgentBody],
        ["POST /transfers/{id}/complete"] = Action,
        ["POST /transfers/{id}/cancel"] = Action,
        ["POST /calls/{callSid}/hangup"] = Action,
        ["POST /calls/{callSid}/mute"] = [.. Action, .. AgentBody],
        ["POST /calls/{callSid}/hold"] = [.. Action, .. AgentBody],
        ["GET /conferences"] = Agent,
        ["GET /conferences/{room}"] = [.. Agent, 400, 404],
        ["POST /conferences/{room}/participants"] = [.. Action, .. AgentBody],
        ["POST /conferences/{room}/end"] = Action,
        ["DELETE /conferences/{room}/participants/{callSid}"] = Action,
        ["GET /incoming"] = WebhookRoute, ["POST /incoming"] = WebhookRoute,
        ["GET /status"] = WebhookRoute, ["POST /status"] = WebhookRoute,
        ["GET /dial-action"] = WebhookRoute, ["POST /dial-action"] = WebhookRoute,
        ["GET /CallTo{agent}"] = [.. Document, 404], ["POST /CallTo{agent}"] = [.. Document, 404],
        ["GET /Conference"] = [.. Document, 400], ["POST /Conference"] = [.. Document, 400],
        ["GET /Dial"] = [.. Document, 400], ["POST /Dial"] = [.. Document, 400],
        ["GET /Hold"] = Document, ["POST /Hold"] = Document,
        ["GET /fallback"] = Document, ["POST /fallback"] = Document,
        ["GET /audio/hold-music.wav"] = [],
    };

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json"))!;

    private static IEnumerable<(string Key, JsonObject Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!.AsObject())));

    private IEnumerable<RouteEndpoint> RouteEndpoints() =>
        app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null);

    [Fact]
    public void Every_route_has_a_summary_and_a_description()
    {
        var endpoints = RouteEndpoints().ToList();
        Assert.NotEmpty(endpoints);
        var undocumented = endpoints
            .Where(e => string.IsNullOrWhiteSpace(e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary)
                        || string.IsNullOrWhiteSpace(e.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description))
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName).ToList();
        Assert.True(undocumented.Count == 0, "routes without WithSummary/WithDescription: " + string.Join(", ", undocumented));
    }

    [Fact]
    public async Task Every_operation_declares_its_documented_errors_as_problem_json()
    {
        var missing = new List<string>();
        foreach (var (key, operation) in Operations(await DocumentAsync()))
        {
            if (!DocumentedErrors.TryGetValue(key, out var expected))
            {
                missing.Add($"{key}: not in the documented errors table");
                continue;
            }
            var responses = operation["responses"]!.AsObject();
            foreach (var status in expected)
            {
                var declared = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                if (declared?["content"]?["application/problem+json"] is null) missing.Add($"{key}: {status} problem+json");
            }
        }
        Assert.True(missing.Count == 0, "undeclared errors: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_in_the_document()
    {
        var operations = Operations(await DocumentAsync()).ToList();
        Assert.Equal(DocumentedErrors.Count, operations.Count);
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace((string?)o.Operation["summary"]), o.Key));
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace((string?)o.Operation["description"]), o.Key));
    }

    [Fact]
    public async Task The_api_key_scheme_is_declared_and_required_by_exactly_the_routes_that_need_authorization()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", (string?)scheme["type"]);
        Assert.Equal("header", (string?)scheme["in"]);
        Assert.Equal("X-Api-Key", (string?)scheme["name"]);

        var secured = Operations(document).Where(o => o.Operation["security"]?.AsArray()
                .Any(requirement => requirement!.AsObject().ContainsKey("ApiKey")) == true)
            .Select(o => o.Key).ToHashSet();
        var authorized = RouteEndpoints().Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} /{Trim(e)}"))
            .ToHashSet();
        Assert.Contains("POST /transfer", secured);
        Assert.Equal(authorized.Order(), secured.Order());
    }

    // A group's "" route is "/calls/" in the endpoint, "/calls" in the document.
    private static string Trim(RouteEndpoint endpoint) => endpoint.RoutePattern.RawText!.Trim('/');

    [Fact]
    public async Task Transfer_mode_is_an_enum_of_exactly_the_modes_the_server_accepts_and_only_callSid_and_mode_are_required()
    {
        var schema = (await DocumentAsync())["components"]!["schemas"]!["TransferRequest"]!;
        var modes = schema["properties"]!["mode"]!["enum"]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Equal(["cold", "conference", "warm"], modes);
        Assert.Equal(["callSid", "mode"], schema["required"]!.AsArray().Select(r => (string)r!).Order());
        Assert.Null(schema["properties"]!["normalizedMode"]);

        // The validation message lists the modes the server takes: the enum must be the same list.
        var refused = await app.Agent.PostAsJsonAsync("/transfer", new { callSid = Webhook.NewCallSid(), to = "alice", mode = "x" });
        var problem = await ProblemAssert.AssertProblem(refused, HttpStatusCode.BadRequest, "mode");
        Assert.Equal("mode must be one of " + string.Join(", ", modes.Select(m => $"\"{m}\"")) + ".", problem.Errors!["mode"][0]);
    }

    [Fact]
    public async Task Webhook_fields_are_a_form_on_post_and_query_parameters_on_get()
    {
        var paths = (await DocumentAsync())["paths"]!;
        var form = paths["/incoming"]!["post"]!["requestBody"]!["content"]!["application/x-www-form-urlencoded"]!["schema"]!;
        Assert.Contains("CallSid", form["required"]!.AsArray().Select(r => (string)r!));
        foreach (var field in new[] { "CallSid", "From", "To", "CallStatus", "token" })
            Assert.NotNull(form["properties"]![field]);
        Assert.NotNull(paths["/dial-action"]!["post"]!["requestBody"]!["content"]!["application/x-www-form-urlencoded"]!
            ["schema"]!["properties"]!["DialCallStatus"]);

        var get = paths["/incoming"]!["get"]!;
        Assert.Null(get["requestBody"]);
        var callSid = get["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "CallSid")!;
        Assert.Equal("query", (string?)callSid["in"]);
        Assert.True((bool)callSid["required"]!);
        var room = paths["/Conference"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "room")!;
        Assert.True((bool)room["required"]!);
    }

    [Fact]
    public async Task The_api_reference_page_is_served_at_scalar_over_the_document()
    {
        var page = await app.Client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        Assert.Contains("AppServer API reference", html);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/scalar/scalar.js")).StatusCode);
    }
}
