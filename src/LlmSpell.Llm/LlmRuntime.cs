using Microsoft.Extensions.Logging;

namespace LlmSpell.Llm;

/// <summary>
/// The providers of one process (service or `llmspell run`): clients, resilience pipelines and the call loop.
/// Thread-safe; shared by every kernel.
/// </summary>
public sealed class LlmRuntime : IDisposable
{
    public LlmRuntime(LlmOptions options, ILlmObserver? observer = null, Func<string, string?>? environment = null,
        ILoggerFactory? loggerFactory = null)
    {
        Options = options;
    }

    public LlmOptions Options { get; }

    public IReadOnlyList<ProviderInfo> Providers => throw new NotImplementedException();

    /// <summary>Runs one agent call with tool rounds; throws <see cref="LlmException"/> for provider problems and
    /// <see cref="OperationCanceledException"/> when cancelled (the HTTP request is aborted).</summary>
    public Task<ChatCallResult> ChatAsync(ChatCallRequest request, IChatCallbacks callbacks, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<ProviderCheckResult> CheckAsync(string name, CancellationToken cancellationToken) => throw new NotImplementedException();

    public void Dispose() { }
}
