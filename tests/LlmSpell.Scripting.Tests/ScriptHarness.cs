using System.Text;
using LlmSpell.Llm;
using LlmSpell.Lua;
using LlmSpell.ProviderDoubles;
using LlmSpell.State;

namespace LlmSpell.Scripting.Tests;

/// <summary>A Lua session with the scripting globals, its providers pointed at one provider double.</summary>
internal sealed class ScriptHarness : IAsyncDisposable
{
    public const string Key = "sk-test-0123456789";

    private readonly TempDir _dir = new();

    private ScriptHarness(ProviderDouble provider, Func<ProviderDouble, LlmOptions>? configure, ScriptArguments? args, IStateStore? state)
    {
        Double = provider;
        var options = configure?.Invoke(provider) ?? DefaultOptions(provider);
        Services = new ScriptingServices(new ScriptingOptions(), new LlmRuntime(options), () => state ?? StateStoreFactory.Create("memory", ""), LlmSpell.Tools.BuiltinTools.All);
        Session = new LuaSession(new LuaSessionOptions
        {
            WorkingDirectory = _dir.Path,
            HostLibrary = () => Services.CreateLibrary(_dir.Path, args),
        });
    }

    public ProviderDouble Double { get; }
    public ScriptingServices Services { get; }
    public LuaSession Session { get; }
    public string WorkingDirectory => _dir.Path;
    public StringBuilder Stdout { get; } = new();

    public static LlmOptions DefaultOptions(ProviderDouble d) => new()
    {
        DefaultProvider = "openai",
        Providers =
        [
            new ProviderSettings { Name = "openai", Type = "openai", BaseUrl = d.OpenAIBaseUrl, ApiKey = Key, DefaultModel = "gpt-test", MaxRetries = 2 },
            new ProviderSettings { Name = "anthropic", Type = "anthropic", BaseUrl = d.BaseUrl, ApiKey = Key, DefaultModel = "claude-test", MaxRetries = 2 },
            new ProviderSettings { Name = "ollama", Type = "ollama", BaseUrl = d.BaseUrl, DefaultModel = "llama-test", MaxRetries = 2 },
        ],
    };

    public static async Task<ScriptHarness> StartAsync(Func<ProviderDouble, LlmOptions>? configure = null, ScriptArguments? args = null, IStateStore? state = null) =>
        new(await ProviderDouble.StartAsync(), configure, args, state);

    public ExecutionOutcome Run(string code, TimeSpan? timeout = null) => Session.Execute(code, new Host(Stdout), timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Runs and fails the test with the Lua error when the code fails.</summary>
    public string? Value(string code)
    {
        var outcome = Run(code);
        Assert.True(outcome.Success, outcome.Error is { } e ? $"{e.Name}: {e.Value}" : "failed");
        return outcome.ResultText;
    }

    /// <summary>Runs code that must fail and returns its error message.</summary>
    public string Error(string code)
    {
        var outcome = Run(code);
        Assert.False(outcome.Success, $"expected an error, got {outcome.ResultText}");
        return outcome.Error!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        Services.Dispose();
        await Double.DisposeAsync();
        _dir.Dispose();
    }

    private sealed class Host(StringBuilder stdout) : IExecutionHost
    {
        public void WriteStdout(string text) { lock (stdout) stdout.Append(text); }
        public void WriteStderr(string text) { }
        public string? ReadInput(string prompt, bool password) => null;
    }
}
