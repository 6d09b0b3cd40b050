using LlmSpell.Llm.Calls;
using LlmSpell.Llm.Providers;
using LlmSpell.Llm.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmSpell.Llm;

/// <summary>
/// The providers of one process (service or `llmspell run`): clients, resilience pipelines and the call loop.
/// Thread-safe; shared by every kernel. Construction touches no network and reads no key: clients are built on first
/// use, keys are read at call time (so a missing key fails the call that needs it, not the start).
/// </summary>
public sealed class LlmRuntime : IDisposable
{
    private readonly Dictionary<string, ProviderRuntime> _providers;
    private readonly ILlmObserver? _observer;

    /// <param name="options">With no providers configured, <see cref="ProviderDefaults.Predefined"/> are used.</param>
    /// <param name="environment">Reads api_key_env variables; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    public LlmRuntime(LlmOptions options, ILlmObserver? observer = null, Func<string, string?>? environment = null,
        ILoggerFactory? loggerFactory = null)
        : this(options, observer, environment, loggerFactory, ResilienceTuning.Default)
    {
    }

    internal LlmRuntime(LlmOptions options, ILlmObserver? observer, Func<string, string?>? environment, ILoggerFactory? loggerFactory,
        ResilienceTuning tuning)
    {
        Options = options;
        _observer = observer;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("LlmSpell.Llm");
        var settings = options.Providers.Count > 0 ? options.Providers : ProviderDefaults.Predefined;
        _providers = new Dictionary<string, ProviderRuntime>(StringComparer.Ordinal);
        foreach (var provider in settings)
        {
            if (_providers.ContainsKey(provider.Name))
                throw new LlmException($"provider '{provider.Name}' is configured twice; give each [providers.NAME] its own name", provider.Name);
            _providers[provider.Name] = new ProviderRuntime(provider, options.MaxResponseBytes, environment ?? Environment.GetEnvironmentVariable,
                tuning, observer, logger);
        }
    }

    public LlmOptions Options { get; }

    /// <summary>The providers in configuration order, with where each key comes from and whether it is there (never the key).</summary>
    public IReadOnlyList<ProviderInfo> Providers => _providers.Values.Select(p => p.Info).ToList();

    /// <summary>Runs one agent call with tool rounds; throws <see cref="LlmException"/> for provider problems and
    /// <see cref="OperationCanceledException"/> when cancelled (the HTTP request is aborted).</summary>
    public async Task<ChatCallResult> ChatAsync(ChatCallRequest request, IChatCallbacks callbacks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(callbacks);
        var (provider, model) = ModelReferences.Resolve(request.Model, _providers, Options.DefaultProvider);
        using var target = provider.CreateTarget(model, request.BaseUrl, request.ApiKey);
        return await ChatCallLoop.RunAsync(target, request, callbacks, _observer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A cheap real call (list models) to the provider called <paramref name="name"/>; failures are reported, not thrown.</summary>
    /// <exception cref="LlmException">No provider has that name.</exception>
    public Task<ProviderCheckResult> CheckAsync(string name, CancellationToken cancellationToken) =>
        ProviderChecks.CheckAsync(ModelReferences.Find(name, _providers), cancellationToken);

    public void Dispose()
    {
        foreach (var provider in _providers.Values) provider.Dispose();
    }
}
