namespace LlmSpell.Service.Registry;

/// <summary>What a running kernel publishes about itself in <c>&lt;runtime dir&gt;/services/&lt;id&gt;.json</c>.</summary>
public sealed record ServiceRecord
{
    public required string Id { get; init; }

    public required int Pid { get; init; }

    public required int Port { get; init; }

    // These two have setters, not init: the JSON source generator fills init-only properties through a constructor
    // and would drop the defaults for a record that omits them.

    /// <summary>"http" or "https".</summary>
    public string UrlScheme { get; set; } = "http";

    public string Host { get; set; } = "127.0.0.1";

    public string? ConnectionFile { get; init; }

    public string? PidFile { get; init; }

    public string? LogFile { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required string Version { get; init; }
}

/// <summary>A registry record together with whether its process is still alive.</summary>
public sealed record ServiceEntry(ServiceRecord Record, bool IsAlive, string FilePath);

/// <summary>Source-generated JSON for registry records (snake_case, indented; no reflection under Native AOT).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ServiceRecord))]
public sealed partial class RegistryJson : System.Text.Json.Serialization.JsonSerializerContext;
