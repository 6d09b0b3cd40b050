using System.CommandLine;
using System.Runtime.InteropServices;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Cli.Commands;

/// <summary>
/// `kernel run -f CONNECTION_FILE`: one Jupyter kernel and nothing else, the way Jupyter launches kernels from a
/// kernelspec. Ports, address and key come from the connection file Jupyter wrote. The kernel stops on
/// shutdown_request, on SIGTERM/SIGINT, and when the process that launched it dies.
/// </summary>
public static class RunKernelCommand
{
    public static Command Create()
    {
        var connectionFile = new Option<string>("--connection-file", "-f") { Description = "Connection file written by Jupyter ({connection_file} in a kernelspec)", Required = true };
        var config = CommonOptions.Config();
        var logLevel = new Option<string>("--log-level") { Description = "Log level on stderr", DefaultValueFactory = _ => "warn" };
        var command = new Command("run", "Run a single Jupyter kernel from a connection file (used by the kernelspec)") { connectionFile, config, logLevel };
        command.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(connectionFile)!);
            if (!File.Exists(path))
                throw new UserFacingException($"connection file {path} does not exist; Jupyter writes it before launching the kernel (see `jupyter kernelspec list`)", ExitCodes.InvalidConfiguration);
            return await RunAsync(path, CommonOptions.LoadConfig(parse.GetValue(config)), parse.GetValue(logLevel)!);
        });
        return command;
    }

    private static async Task<int> RunAsync(string connectionFile, LlmSpellOptions options, string logLevel)
    {
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(ParseLevel(logLevel))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        // Ports, address and key come from Jupyter's connection file.
        using var scripting = LlmSpell.Server.Scripting.ScriptingFromConfig.Create(options, loggers: loggerFactory);
        await using var kernel = JupyterKernel.Start(
            KernelOptionsFromConfig.Create(options, Path.GetFileNameWithoutExtension(connectionFile), connectionFile, scripting) with { UseExistingConnectionFile = true },
            loggerFactory);

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var orphaned = new CancellationTokenSource();
        _ = WatchParentAsync(stop, orphaned.Token);

        await Task.WhenAny(kernel.Stopped, stop.Task);
        orphaned.Cancel();
        await kernel.StopAsync(TimeSpan.FromSeconds(5));
        return ExitCodes.Ok;
    }

    /// <summary>When the launching process dies we are re-parented; stop rather than linger as an orphan.</summary>
    private static async Task WatchParentAsync(TaskCompletionSource stop, CancellationToken ct)
    {
        var parent = LlmSpell.Service.Native.Posix.ParentProcessId();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                if (LlmSpell.Service.Native.Posix.ParentProcessId() != parent) { stop.TrySetResult(); return; }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // kernel run logs warnings and up unless a level is configured.
    private static LogLevel ParseLevel(string level) =>
        LlmSpell.Server.Logging.LogLevels.TryParse(level, out var parsed) ? LlmSpell.Server.Logging.LogLevels.ToMicrosoft(parsed) : LogLevel.Warning;
}
