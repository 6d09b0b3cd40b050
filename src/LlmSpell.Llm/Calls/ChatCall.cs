using Microsoft.Extensions.AI;

namespace LlmSpell.Llm;

/// <summary>A tool the model may call: its JSON schema is what the model sees.</summary>
public sealed record ToolDeclaration(string Name, string Description, string ParametersJsonSchema);

/// <summary>One agent call: the conversation so far plus the new input, sent to one provider.</summary>
public sealed record ChatCallRequest
{
    /// <summary>"provider/model", a bare model (default provider) or null (default provider's default model).</summary>
    public string? Model { get; init; }

    /// <summary>A script's own endpoint; only honoured together with <see cref="ApiKey"/> (never the configured key).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>A script's own key.</summary>
    public string? ApiKey { get; init; }

    /// <summary>System prompt, then earlier turns, then the new user message.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public IReadOnlyList<ToolDeclaration> Tools { get; init; } = [];
    public int MaxToolRounds { get; init; } = 5;

    /// <summary>Stream text through <see cref="IChatCallbacks.OnText"/> as it arrives.</summary>
    public bool Stream { get; init; }
}

/// <summary>The outcome of running a tool the model asked for.</summary>
public sealed record ToolOutcome(string? ResultJson, string? Error);

/// <summary>What the call loop reaches the script through. Both may be called from any thread.</summary>
public interface IChatCallbacks
{
    /// <summary>A streamed piece of text (only when the request streams).</summary>
    void OnText(string text);

    /// <summary>Runs a tool the model called; an error is sent back to the model as an error result.</summary>
    Task<ToolOutcome> InvokeToolAsync(string name, string argumentsJson, CancellationToken cancellationToken);
}

public sealed record ToolCallRecord(string Name, string ArgumentsJson, string? ResultJson, string? Error);

public sealed record ChatCallResult
{
    public required string Text { get; init; }

    /// <summary>stop | length | tool_calls | content_filter | ... (OpenAI's words, mapped from the others).</summary>
    public required string FinishReason { get; init; }

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>From [providers.NAME.pricing]; null without pricing.</summary>
    public double? CostUsd { get; init; }

    public required string Provider { get; init; }
    public required string Model { get; init; }
    public long DurationMs { get; init; }

    /// <summary>HTTP attempts for the call (1 = no retry), summed over tool rounds.</summary>
    public int Attempts { get; init; }

    public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>The assistant and tool messages of this call, to append to the conversation after the user message.</summary>
    public IReadOnlyList<ChatMessage> NewMessages { get; init; } = [];
}

/// <summary>A provider failure worth showing to a script as is: names the provider and what to do.</summary>
public sealed class LlmException(string message, string? provider = null, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string? Provider { get; } = provider;
    public int? StatusCode { get; } = statusCode;
}

/// <summary>Metrics hooks (the server implements them with Prometheus). Called from any thread.</summary>
public interface ILlmObserver
{
    /// <param name="outcome">ok | error | cancelled</param>
    void RequestFinished(string provider, string model, string outcome, TimeSpan duration, TimeSpan? timeToFirstToken,
        long inputTokens, long outputTokens, double costUsd);

    /// <param name="reason">429 | 5xx | 529 | connection | timeout</param>
    void Retried(string provider, string reason);
}
