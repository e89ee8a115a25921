using System.Net.Http.Json;

namespace AppServer.Tests.Infrastructure;

/// <summary>Typed reads of AppServer's agent API (the ApiContract.cs records), for any client that sends the key.</summary>
public static class AgentApi
{
    /// <summary>A 2xx application/json answer read as <typeparamref name="T"/>; any other answer fails with its body.</summary>
    public static async Task<T> ReadJsonAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var request = response.RequestMessage;
        Assert.True(response.IsSuccessStatusCode,
            $"{request?.Method} {request?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ApiJson.Deserialize<T>(body);
    }

    /// <summary>The action an agent route answered with (transfer, hang-up, mute, invite).</summary>
    public static Task<ApiTransfer> ReadTransferAsync(this HttpResponseMessage response) => response.ReadJsonAsync<ApiTransfer>();

    /// <summary><c>GET /calls/{callSid}</c>; fails unless the call is stored.</summary>
    public static async Task<ApiCall> GetCallAsync(this HttpClient agent, string callSid) =>
        await (await agent.GetAsync($"/calls/{callSid}")).ReadJsonAsync<ApiCall>();

    /// <summary><c>GET /calls?limit=…</c>, the latest calls first.</summary>
    public static async Task<IReadOnlyList<ApiCall>> ListCallsAsync(this HttpClient agent, int limit = 1000) =>
        await (await agent.GetAsync($"/calls?limit={limit}")).ReadJsonAsync<IReadOnlyList<ApiCall>>();

    /// <summary><c>GET /transfers/{id}</c>; fails unless the action is stored.</summary>
    public static async Task<ApiTransfer> GetTransferAsync(this HttpClient agent, string id) =>
        await (await agent.GetAsync($"/transfers/{id}")).ReadTransferAsync();

    /// <summary><c>GET /agents</c>.</summary>
    public static async Task<IReadOnlyList<ApiAgent>> ListAgentsAsync(this HttpClient agent) =>
        await (await agent.GetAsync("/agents")).ReadJsonAsync<IReadOnlyList<ApiAgent>>();

    /// <summary>An action route (JSON body, or none); fails unless 2xx; the action it answered with.</summary>
    public static async Task<ApiTransfer> PostActionAsync(this HttpClient agent, string path, object? body = null) =>
        await (body is null ? await agent.PostAsync(path, null) : await agent.PostAsJsonAsync(path, body)).ReadTransferAsync();
}
