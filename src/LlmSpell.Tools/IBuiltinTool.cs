using System.Text.Json;

namespace LlmSpell.Tools;

/// <summary>A tool shipped with llmspell; the model sees its name, description and JSON schema.</summary>
public interface IBuiltinTool
{
    string Name { get; }
    string Description { get; }

    /// <summary>JSON schema (an object schema) of the arguments.</summary>
    string ParametersJsonSchema { get; }

    /// <summary>Runs the tool; the result is JSON text. Throws <see cref="ToolException"/> for bad arguments or refusals.</summary>
    Task<string> InvokeAsync(JsonElement arguments, ToolContext context, CancellationToken cancellationToken);
}

/// <summary>What a tool may touch.</summary>
public sealed record ToolContext
{
    /// <summary>The sandbox's working directory: file-operations stays inside it.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Hosts http-requester may reach; empty = the tool is disabled.</summary>
    public IReadOnlyList<string> HttpAllowedHosts { get; init; } = [];

    public long MaxHttpResponseBytes { get; init; } = 1024 * 1024;
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;
}

public sealed class ToolException(string message) : Exception(message);
