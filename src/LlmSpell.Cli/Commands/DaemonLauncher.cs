using LlmSpell.Server;
using LlmSpell.Server.Config;
using LlmSpell.Service.Daemon;

namespace LlmSpell.Cli.Commands;

/// <summary>
/// `kernel start --daemon`: re-executes this program detached (new session, stdin /dev/null, output to the log
/// file, configured umask and working directory) and waits until the child reports ready or fails. .NET cannot fork.
/// </summary>
public static class DaemonLauncher
{
    public static int Launch(ConfigSources sources, LoadedConfig config, ServiceRuntime runtime, TextWriter output, TextWriter error)
    {
        var result = Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = Environment.ProcessPath ?? throw new UserFacingException("cannot re-execute: the path of the running executable is unknown"),
            EntryAssemblyPath = LlmSpell.Service.Processes.HostCommand.EntryAssemblyPath(),
            Arguments = ChildArguments(sources, runtime),
            LogFile = runtime.LogFile,
            WorkingDirectory = config.Options.Daemon.WorkingDir,
            Umask = config.Options.Daemon.Umask,
        });
        if (!result.Success)
        {
            error.WriteLine($"llmspell: the daemon failed to start: {result.Error}");
            return result.ExitCode is > 0 and < 126 ? result.ExitCode.Value : ExitCodes.Failure;
        }
        output.WriteLine($"llmspell kernel service {runtime.ServiceId} started in the background (pid {result.Pid}); PID file {runtime.PidFile}, log {runtime.LogFile}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The child gets absolute, fully resolved arguments (its working directory differs), the same id, PID and log
    /// files as announced here, and no --daemon.
    /// </summary>
    private static List<string> ChildArguments(ConfigSources sources, ServiceRuntime runtime)
    {
        var args = new List<string> { "kernel", "start" };
        if (sources.ConfigPath is { } config) args.AddRange(["--config", Path.GetFullPath(config)]);
        var values = new Dictionary<string, string?>(sources.Overrides, StringComparer.OrdinalIgnoreCase)
        {
            ["kernel:id"] = runtime.ServiceId,
            ["daemon:pid_file"] = runtime.PidFile,
            ["logging:log_file"] = runtime.LogFile,
        };
        foreach (var (path, value) in values)
        {
            // The child runs in the foreground of its new session: it must not daemonize again.
            if (value is null || ConfigFlags.KeyOf(path) is not { } key || key.Type == ConfigValueType.Boolean) continue;
            args.AddRange([key.Flag!.Name, value]);
        }
        return args;
    }
}
