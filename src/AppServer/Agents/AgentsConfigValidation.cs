using Microsoft.Extensions.Options;

namespace AppServer.Agents;

/// <summary>Stops start-up when an agent address is malformed.</summary>
public sealed class AgentsConfigValidation : IValidateOptions<AgentsOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentsOptions options)
    {
        var errors = new List<string>();
        foreach (var (agent, address) in options)
            if (!AgentAddress.TryParse(address, out _, out var error))
                errors.Add($"Agents:{agent} {error}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Stops start-up when a number routes to an agent that the Agents section does not name.</summary>
public sealed class NumbersConfigValidation(IOptionsMonitor<AgentsOptions> agents) : IValidateOptions<NumbersOptions>
{
    public ValidateOptionsResult Validate(string? name, NumbersOptions options)
    {
        var errors = new List<string>();
        var known = agents.CurrentValue;
        foreach (var (number, route) in options)
            if (string.IsNullOrWhiteSpace(route.Agent) || !known.ContainsKey(route.Agent))
                errors.Add($"Numbers:{number}:Agent '{route.Agent}' is not a key of the Agents section.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
