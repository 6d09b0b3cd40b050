using LlmSpell.Llm.Resilience;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Calls;

/// <summary>Everything one agent call sends through: the provider, the model, the client bound to an endpoint and key, the pipeline.</summary>
internal sealed class CallTarget(ProviderSettings settings, string model, Uri baseUri, IChatClient client, ProviderPipeline pipeline,
    bool ownsPipeline, string? apiKey, bool scriptEndpoint, TimeSpan streamIdleTimeout) : IDisposable
{
    public ProviderSettings Settings { get; } = settings;
    public string ProviderName => Settings.Name;
    public string Model { get; } = model;
    public Uri BaseUri { get; } = baseUri;
    public IChatClient Client { get; } = client;
    public ProviderPipeline Pipeline { get; } = pipeline;

    /// <summary>The key in use, only so that it can be cut out of any message that might echo it.</summary>
    public string? ApiKey { get; } = apiKey;

    /// <summary>Whether the script chose the endpoint (and its key): messages point at the script, not at the config.</summary>
    public bool ScriptEndpoint { get; } = scriptEndpoint;

    public TimeSpan StreamIdleTimeout { get; } = streamIdleTimeout;

    public void Dispose()
    {
        if (ownsPipeline) Pipeline.Dispose();
    }
}
