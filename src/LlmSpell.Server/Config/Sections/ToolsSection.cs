namespace LlmSpell.Server.Config;

/// <summary>[tools]: what the built-in tools may reach.</summary>
public sealed class ToolsSection
{
    /// <summary>Hosts http-requester may call; empty = the tool is disabled.</summary>
    public string[] HttpAllowedHosts { get; set; } = [];

    private static readonly SectionKeys<ToolsSection> K = new("tools", o => o.Tools);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.StrArray("http_allowed_hosts", s => s.HttpAllowedHosts, (s, v) => s.HttpAllowedHosts = v,
            check: v => v.FirstOrDefault(h => h.Contains('/') || h.Contains(':') && !h.StartsWith('[')) is { } bad
                ? $"lists host names only (like \"api.example.com\"), found \"{bad}\"" : null),
    ];
}
