using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AppServer.CallViews;

namespace AppServer.AgentConsole;

/// <summary>
/// How console events are written: the API's JSON without null fields and without the webhook <c>parameters</c> of each
/// call. Every event goes to every open console, so its size is paid once per console: those two made up more than half
/// of a new call's event, and the console shows neither (<c>GET /calls/{callSid}</c> still has them).
/// </summary>
public static class CallEventJson
{
    public static JsonSerializerOptions Of(JsonSerializerOptions api)
    {
        var resolver = (api.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(WithoutParameters);
        return new JsonSerializerOptions(api)
        {
            TypeInfoResolver = resolver,
        };
    }

    private static void WithoutParameters(JsonTypeInfo type)
    {
        if (type.Type != typeof(CallView)) return;
        var parameters = type.Properties.Single(p => p.Name == JsonName(nameof(CallView.Parameters), type.Options));
        type.Properties.Remove(parameters);
    }

    private static string JsonName(string name, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(name) ?? name;
}
