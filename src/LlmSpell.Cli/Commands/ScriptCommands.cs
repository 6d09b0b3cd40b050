using System.CommandLine;
using System.Runtime.InteropServices;
using LlmSpell.Lua;
using LlmSpell.Scripting;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Scripting;

namespace LlmSpell.Cli.Commands;

/// <summary>
/// `llmspell run SCRIPT.lua [-- ARGS...]` and `llmspell exec 'CODE'`: the kernel's globals and sandbox in one
/// process, output streamed live. Exit 0 on success, 1 on a Lua error, 2 on usage or configuration errors,
/// 130 on Ctrl+C (calls in flight are cancelled).
/// </summary>
public static class ScriptCommands
{
    public const int Interrupted = 130;

    public static Command CreateRun()
    {
        var config = CommonOptions.Config();
        var script = new Argument<string>("script") { Description = "The Lua script to run" };
        var args = new Argument<string[]>("args") { Description = "Arguments for the script after --: ARGS[1..n], ARGS.key for --key value", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", "Run a Lua script with the Agent, Tool, Workflow, State, JSON and ARGS globals") { config, script, args };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(script)!;
            string code;
            try
            {
                code = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserFacingException($"cannot read script {path}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}", ExitCodes.InvalidConfiguration);
            }
            if (code.StartsWith("#!", StringComparison.Ordinal))
                code = "--" + code; // a shebang line, as lua(1) skips it; line numbers stay right
            var arguments = ScriptArguments.Parse(path, parse.GetValue(args) ?? []);
            return Run(parse.GetValue(config), code, "@" + Path.GetFileName(path), arguments, printResult: false);
        });
        return command;
    }

    public static Command CreateExec()
    {
        var config = CommonOptions.Config();
        var code = new Argument<string>("code") { Description = "Lua code; the value of a final expression is printed" };
        var args = new Argument<string[]>("args") { Description = "Arguments after --, as for run", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("exec", "Run Lua code given on the command line, with the same globals as run") { config, code, args };
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(code)!, "=exec",
            ScriptArguments.Parse("exec", parse.GetValue(args) ?? []), printResult: true));
        return command;
    }

    private static int Run(string? configPath, string code, string chunkName, ScriptArguments arguments, bool printResult)
    {
        var options = CommonOptions.LoadConfig(configPath);
        var workingDirectory = Environment.CurrentDirectory;
        using var scripting = ScriptingFromConfig.Create(options);
        using var session = new LuaSession(KernelOptionsFromConfig.Lua(options) with
        {
            WorkingDirectory = workingDirectory,
            HostLibrary = () => scripting.CreateLibrary(workingDirectory, arguments),
        });

        var interrupted = 0;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            Interlocked.Exchange(ref interrupted, 1);
            session.Interrupt();
        });
        var outcome = session.ExecuteScript(code, chunkName, new ConsoleHost(), TimeSpan.FromSeconds(options.Kernel.ExecutionTimeout));
        Console.Out.Flush();
        if (outcome.Success)
        {
            if (printResult && outcome.ResultText is { } result) Console.Out.WriteLine(result);
            return ExitCodes.Ok;
        }
        var error = outcome.Error!;
        Console.Error.WriteLine($"llmspell: {error.Name}: {error.Value}");
        foreach (var line in error.Traceback.Skip(1)) Console.Error.WriteLine(line);
        return Volatile.Read(ref interrupted) == 1 ? Interrupted : ExitCodes.Failure;
    }

    /// <summary>The terminal as the script's stdio: written through at once, so output streams live.</summary>
    private sealed class ConsoleHost : IExecutionHost
    {
        private readonly Stream _stdout = Console.OpenStandardOutput();
        private readonly Stream _stderr = Console.OpenStandardError();

        public void WriteStdout(string text) => Write(_stdout, text);
        public void WriteStderr(string text) => Write(_stderr, text);

        private static void Write(Stream stream, string text)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.Flush();
        }

        public string? ReadInput(string prompt, bool password) => Console.In.ReadLine();
    }
}
