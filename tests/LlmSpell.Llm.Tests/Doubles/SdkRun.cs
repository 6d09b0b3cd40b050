using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>
/// Class fixture: one double with <see cref="ApiKey"/> required and <see cref="Faults"/> queued, driven once by one SDK
/// script (a single node process per test class, since node and an SDK take a few hundred ms to start).
/// </summary>
public abstract class SdkRun : IAsyncLifetime
{
    public const string ApiKey = "sk-double-test-key";

    public ProviderDouble Provider { get; private set; } = null!;

    /// <summary>What the script observed, one entry per check it ran.</summary>
    public JsonObject Observed { get; private set; } = null!;

    protected abstract string Script { get; }

    /// <summary>Faults for the script's first chat requests, in order (its error checks come first).</summary>
    protected abstract IEnumerable<Fault> Faults { get; }

    public async Task InitializeAsync()
    {
        Provider = await ProviderDouble.StartAsync();
        Provider.RequiredApiKey = ApiKey;
        foreach (var fault in Faults) Provider.Enqueue(fault);
        Observed = await NodeSdk.RunAsync(Script, Provider.BaseUrl, ApiKey);
    }

    public async Task DisposeAsync()
    {
        if (Provider is not null) await Provider.DisposeAsync();
    }

    /// <summary>The bodies of the chat requests the double received on <paramref name="path"/>, parsed.</summary>
    public List<JsonObject> ChatBodies(string path) =>
        Provider.Requests.Where(request => request.Method == "POST" && request.Path == path)
            .Select(request => JsonNode.Parse(request.Body)!.AsObject()).ToList();
}

public sealed class OpenAISdkRun : SdkRun
{
    protected override string Script => "openai.mjs";
    protected override IEnumerable<Fault> Faults => [Fault.Status(429, retryAfterSeconds: 7, message: "slow down"), Fault.DropAfterChunks(3)];
}

public sealed class AnthropicSdkRun : SdkRun
{
    protected override string Script => "anthropic.mjs";
    protected override IEnumerable<Fault> Faults =>
        [Fault.Status(429, retryAfterSeconds: 7, message: "slow down"), Fault.Status(529), Fault.DropAfterChunks(5)];
}

public sealed class OllamaSdkRun : SdkRun
{
    protected override string Script => "ollama.mjs";
    protected override IEnumerable<Fault> Faults => [Fault.Status(429, retryAfterSeconds: 7, message: "slow down"), Fault.DropAfterChunks(2)];
}
