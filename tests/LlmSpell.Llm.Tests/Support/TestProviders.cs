using LlmSpell.Llm.Resilience;
using LlmSpell.ProviderDoubles;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Tests.Support;

/// <summary>Providers pointed at a double, runtimes with short backoff, and the usual requests.</summary>
internal static class TestProviders
{
    public const string Key = "sk-test-0123456789abcdef";

    public static readonly TheoryData<string> Types = [ProviderTypes.OpenAI, ProviderTypes.Anthropic, ProviderTypes.Ollama];

    /// <summary>Short backoff so retries do not slow the suite; everything else as in production.</summary>
    public static ResilienceTuning Fast { get; } = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>A provider of <paramref name="type"/> named after it, at the double, with an inline key.</summary>
    public static ProviderSettings For(string type, ProviderDouble provider, string? name = null) => new()
    {
        Name = name ?? type,
        Type = type,
        BaseUrl = type == ProviderTypes.OpenAI ? provider.OpenAIBaseUrl : provider.BaseUrl,
        ApiKey = Key,
        DefaultModel = "test-model",
        TimeoutSeconds = 20,
        MaxRetries = 2,
    };

    public static LlmRuntime Runtime(ProviderSettings settings, RecordingObserver? observer = null, ResilienceTuning? tuning = null,
        Func<string, string?>? environment = null, long maxResponseBytes = 16L * 1024 * 1024) =>
        new(new LlmOptions { Providers = [settings], DefaultProvider = settings.Name, MaxResponseBytes = maxResponseBytes },
            observer, environment ?? (_ => null), loggerFactory: null, tuning ?? Fast);

    public static ChatCallRequest Ask(string userText, bool stream = false, IReadOnlyList<ToolDeclaration>? tools = null, string? model = null) => new()
    {
        Model = model,
        Messages = [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, userText)],
        Stream = stream,
        Tools = tools ?? [],
    };

    public static ToolDeclaration Lookup { get; } = new("lookup", "Looks a word up.",
        """{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}""");

    /// <summary>The path a chat request of <paramref name="type"/> goes to on the double.</summary>
    public static string ChatPath(string type) => type switch
    {
        ProviderTypes.OpenAI => "/v1/chat/completions",
        ProviderTypes.Anthropic => "/v1/messages",
        _ => "/api/chat",
    };

    /// <summary>Stream chunks the double sends before the first text delta (role chunk; message_start, content_block_start, ping; none).</summary>
    public static int ChunksBeforeText(string type) => type switch
    {
        ProviderTypes.OpenAI => 1,
        ProviderTypes.Anthropic => 3,
        _ => 0,
    };

    public static IReadOnlyList<RecordedRequest> ChatRequests(this ProviderDouble provider, string type) =>
        provider.Requests.Where(r => r.Path == ChatPath(type)).ToList();
}
