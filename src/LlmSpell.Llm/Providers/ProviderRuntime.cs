using LlmSpell.Llm.Calls;
using LlmSpell.Llm.Providers.Anthropic;
using LlmSpell.Llm.Providers.Http;
using LlmSpell.Llm.Providers.Ollama;
using LlmSpell.Llm.Providers.OpenAI;
using LlmSpell.Llm.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace LlmSpell.Llm.Providers;

/// <summary>
/// One configured provider: its HttpClient and pipeline, built on first use (nothing touches the network at start),
/// and the client of each call, bound to the endpoint and key that call may use.
/// </summary>
internal sealed class ProviderRuntime : IDisposable
{
    private readonly Func<string, string?> _environment;
    private readonly ResilienceTuning _tuning;
    private readonly ILlmObserver? _observer;
    private readonly ILogger _logger;
    private readonly Lazy<HttpClient> _http;
    private readonly Lazy<ProviderPipeline> _pipeline;
    private readonly Lock _openAILock = new();
    private (string Key, Uri Endpoint, OpenAIClient Client)? _openAI;

    public ProviderRuntime(ProviderSettings settings, long maxResponseBytes, Func<string, string?> environment, ResilienceTuning tuning,
        ILlmObserver? observer, ILogger logger)
    {
        Settings = settings;
        _environment = environment;
        _tuning = tuning;
        _observer = observer;
        _logger = logger;
        _http = new Lazy<HttpClient>(() => ProviderHttpClients.Create(maxResponseBytes));
        _pipeline = new Lazy<ProviderPipeline>(() => ProviderPipeline.Create(settings, tuning, observer, logger, forScriptEndpoint: false));
    }

    public ProviderSettings Settings { get; }
    public string Name => Settings.Name;
    public HttpClient Http => _http.Value;

    public ProviderInfo Info => new(Settings.Name, Settings.Type, Settings.BaseUrl, Settings.DefaultModel, ApiKeys.Source(Settings),
        ApiKeys.TryResolve(Settings, _environment) is not null);

    /// <summary>The configured endpoint, validated (http:// only on loopback unless allowed).</summary>
    public Uri BaseUri => Endpoints.Validate(Settings.BaseUrl, Settings, $"[providers.{Name}] base_url");

    /// <summary>The configured key; throws the message that says where to set it when it is needed and missing.</summary>
    public string? ResolveKey() => ApiKeys.ResolveForCall(Settings, _environment);

    /// <summary>
    /// The endpoint, key, client and pipeline for one call. A script's base_url is used only with the script's own key:
    /// the configured key is never sent to a URL a script chose.
    /// </summary>
    public CallTarget CreateTarget(string model, string? scriptBaseUrl, string? scriptApiKey)
    {
        var idle = _tuning.StreamIdleTimeout ?? (Settings.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(Settings.TimeoutSeconds) : Timeout.InfiniteTimeSpan);
        if (!string.IsNullOrEmpty(scriptBaseUrl))
        {
            if (string.IsNullOrEmpty(scriptApiKey))
                throw new LlmException(
                    $"provider '{Name}': the script's base_url is only used with the script's own api_key (the configured key is never " +
                    "sent to a URL a script chose); pass api_key as well, or leave base_url out to use the configured endpoint", Name);
            var scriptUri = Endpoints.Validate(scriptBaseUrl, Settings, "the script's base_url");
            var scriptPipeline = ProviderPipeline.Create(Settings, _tuning, _observer, _logger, forScriptEndpoint: true);
            return new CallTarget(Settings, model, scriptUri, CreateClient(scriptUri, scriptApiKey, model, cache: false), scriptPipeline,
                ownsPipeline: true, scriptApiKey, scriptEndpoint: true, idle);
        }
        var baseUri = BaseUri;
        var key = string.IsNullOrEmpty(scriptApiKey) ? ResolveKey() : scriptApiKey;
        return new CallTarget(Settings, model, baseUri, CreateClient(baseUri, key, model, cache: string.IsNullOrEmpty(scriptApiKey)),
            _pipeline.Value, ownsPipeline: false, key, scriptEndpoint: false, idle);
    }

    private IChatClient CreateClient(Uri baseUri, string? key, string model, bool cache) => Settings.Type switch
    {
        ProviderTypes.OpenAI => OpenAIChatClients.ForModel(OpenAIClientFor(baseUri, key ?? "", cache), model),
        ProviderTypes.Anthropic => new AnthropicChatClient(Http, baseUri, key),
        ProviderTypes.Ollama => new OllamaChatClient(Http, baseUri, key),
        _ => throw new LlmException(
            $"provider '{Name}' has type '{Settings.Type}'; set type to one of {string.Join(", ", ProviderTypes.All)} in [providers.{Name}]", Name),
    };

    // One SDK client per key and endpoint (the key file may be rotated while we run); a script's key gets its own.
    private OpenAIClient OpenAIClientFor(Uri endpoint, string key, bool cache)
    {
        if (!cache) return OpenAIChatClients.CreateClient(Http, endpoint, key);
        lock (_openAILock)
        {
            if (_openAI is { } current && current.Key == key && current.Endpoint == endpoint) return current.Client;
            var client = OpenAIChatClients.CreateClient(Http, endpoint, key);
            _openAI = (key, endpoint, client);
            return client;
        }
    }

    public void Dispose()
    {
        if (_pipeline.IsValueCreated) _pipeline.Value.Dispose();
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
