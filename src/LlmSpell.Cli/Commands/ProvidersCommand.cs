using System.CommandLine;
using LlmSpell.Llm;
using LlmSpell.Server.Config;
using LlmSpell.Server.Scripting;

namespace LlmSpell.Cli.Commands;

/// <summary>
/// `llmspell providers list` (the configured providers and whether each key is present, never the key) and
/// `llmspell providers check [NAME]` (one cheap real call per provider: list its models).
/// </summary>
public static class ProvidersCommand
{
    public static Command Create() => new("providers", "List the configured model providers or check that they answer")
    {
        CreateList(),
        CreateCheck(),
    };

    private static Command CreateList()
    {
        var config = CommonOptions.Config();
        var command = new Command("list", "List providers: name, type, base URL, default model, where the key comes from and whether it is set") { config };
        command.SetAction(parse =>
        {
            using var llm = new LlmRuntime(ScriptingFromConfig.Llm(CommonOptions.LoadConfig(parse.GetValue(config))));
            var output = parse.InvocationConfiguration.Output;
            var rows = llm.Providers.Select(p => new[] { p.Name, p.Type, p.BaseUrl, p.DefaultModel ?? "-", p.KeySource, p.KeyPresent ? "yes" : "no" }).ToList();
            string[] header = ["NAME", "TYPE", "BASE_URL", "DEFAULT_MODEL", "KEY_SOURCE", "KEY_PRESENT"];
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
            foreach (var row in rows.Prepend(header))
                output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var config = CommonOptions.Config();
        var name = new Argument<string?>("name") { Description = "The provider to check (default: every provider)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("check", "Make one cheap real call (list models) to each provider and report the outcome") { config, name };
        command.SetAction(async (parse, ct) =>
        {
            using var llm = new LlmRuntime(ScriptingFromConfig.Llm(CommonOptions.LoadConfig(parse.GetValue(config))));
            var names = parse.GetValue(name) is { } one ? [one] : llm.Providers.Select(p => p.Name).ToList();
            if (!llm.Providers.Any(p => names.Contains(p.Name)))
                throw new UserFacingException($"unknown provider '{names[0]}'; configured providers: {string.Join(", ", llm.Providers.Select(p => p.Name))}", ExitCodes.NotFound);
            var failed = 0;
            foreach (var provider in names)
            {
                var result = await llm.CheckAsync(provider, ct);
                parse.InvocationConfiguration.Output.WriteLine($"{result.Name}: {(result.Ok ? "ok" : "FAILED")} ({result.DurationMs} ms) {result.Message}");
                if (!result.Ok) failed++;
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
