namespace LlmSpell.Scripting;

/// <summary>Settings of the scripting layer that are not the providers' own.</summary>
public sealed record ScriptingOptions
{
    /// <summary>Hosts http-requester may reach ([tools] http_allowed_hosts); empty = the tool is disabled.</summary>
    public IReadOnlyList<string> HttpAllowedHosts { get; init; } = [];

    /// <summary>Messages an agent keeps of its conversation (oldest turns dropped first).</summary>
    public int MaxHistoryMessages { get; init; } = 100;
}
