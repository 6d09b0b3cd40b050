using System.Text.Json.Serialization;
using LlmSpell.Server.Api;
using LlmSpell.Service.Registry;

namespace LlmSpell.Cli.Client;

/// <summary>One service in `kernel status --json` without --port: its record, health and status.</summary>
public sealed record StatusEntryJson(ServiceRecord Record, string Health, ServiceStatus? Service, string? Error);

/// <summary>`kernel status --json` for one service.</summary>
public sealed record StatusReportJson(ServiceStatus Service, string Health);

/// <summary>Source-generated JSON for what only the CLI writes (Native AOT has no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DictionaryKeyPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<StatusEntryJson>))]
[JsonSerializable(typeof(StatusReportJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KernelSpec))]
internal sealed partial class KernelSpecJsonContext : JsonSerializerContext;
