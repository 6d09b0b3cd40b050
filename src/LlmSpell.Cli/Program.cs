using System.CommandLine;
using System.Reflection;
using LlmSpell.Cli;
using LlmSpell.Cli.Commands;
using LlmSpell.Server;
using LlmSpell.Server.Config;

// The build-time OpenAPI generator runs this entry point to capture the host; give it the app with
// defaults and no side effects (building does not bind ports or start kernels).
if (Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider")
{
    var sources = new ConfigSources { Environment = new Dictionary<string, string?>(), ConfigPath = null, AppSettingsDirectory = AppContext.BaseDirectory };
    var config = new LoadedConfig(new LlmSpellOptions(), null, [], new Dictionary<string, string>());
    ServiceApp.Build(config, sources, ServiceRuntime.Resolve(config.Options, sources), documentOnly: true).Run();
    return 0;
}

var root = new RootCommand("LLMSpell: a Lua 5.4 Jupyter kernel service for notebooks, IDEs and ops tooling")
{
    KernelCommand.Create(), ScriptCommands.CreateRun(), ScriptCommands.CreateExec(), ProvidersCommand.Create(),
};
var parse = root.Parse(args);
try
{
    // The host owns SIGINT/SIGTERM for `kernel start` (graceful shutdown, exit 0), so the parser must not.
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (UserFacingException e)
{
    Console.Error.WriteLine($"llmspell: {e.Message}");
    return e.ExitCode;
}
