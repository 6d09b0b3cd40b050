using LlmSpell.Llm;
using LlmSpell.Scripting;
using LlmSpell.Server.Config;
using LlmSpell.State;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Server.Scripting;

/// <summary>The one mapping from configuration to the scripting layer (service, `kernel run`, `run`, `exec`).</summary>
public static class ScriptingFromConfig
{
    public static LlmOptions Llm(LlmSpellOptions o) => new()
    {
        Providers = [.. o.Providers.Named.Select(p => p.ToSettings())],
        DefaultProvider = o.Providers.DefaultProvider,
    };

    /// <summary>The model label values metrics keep (each provider's default model); any other is "other".</summary>
    public static IReadOnlySet<string> KnownModels(LlmSpellOptions o) =>
        o.Providers.Named.Select(p => p.DefaultModel).OfType<string>().ToHashSet(StringComparer.Ordinal);

    public static ScriptingServices Create(LlmSpellOptions o, ILlmObserver? observer = null, ILoggerFactory? loggers = null)
    {
        var state = o.State;
        var file = state.FileIn(o.Daemon.WorkingDir ?? Environment.CurrentDirectory);
        var maxValue = state.MaxValueKb * 1024L;
        var postgres = state.PostgresSource();
        return new ScriptingServices(
            new ScriptingOptions { HttpAllowedHosts = o.Tools.HttpAllowedHosts },
            new LlmRuntime(Llm(o), observer, loggerFactory: loggers),
            () => StateStoreFactory.Create(state.Backend, file, maxValue, postgres),
            LlmSpell.Tools.BuiltinTools.All);
    }
}
