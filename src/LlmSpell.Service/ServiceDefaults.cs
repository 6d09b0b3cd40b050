namespace LlmSpell.Service;

/// <summary>Defaults every layer shares (the configuration, the CLI clients and the service installer).</summary>
public static class ServiceDefaults
{
    /// <summary>The guide's control-plane port: `curl localhost:9555/health`.</summary>
    public const int HttpPort = 9555;
}
