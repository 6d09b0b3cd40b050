using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LlmSpell.Server;
using LlmSpell.Server.Config;
using LlmSpell.Service;
using LlmSpell.Service.Daemon;

namespace LlmSpell.Cli.Commands;

/// <summary>`llmspell kernel start`: runs the service in the foreground until SIGTERM/SIGINT (or checks it with --dry-run).</summary>
public static class StartCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port", "-p") { Description = "HTTP port; the Jupyter channels use port+1..port+5 (0 = any free ports) [kernel.port, default 9555]" };
        var ip = new Option<string?>("--ip") { Description = "Address to bind [kernel.ip, default 127.0.0.1]" };
        var config = CommonOptions.Config();
        var id = new Option<string?>("--id") { Description = "Service and default kernel id [kernel.id, default random]" };
        var connectionFile = new Option<string?>("--connection-file", "-f") { Description = "Jupyter connection file: ports and key are read from it if it exists (as Jupyter launchers expect), else it is written [kernel.connection_file]" };
        var logFile = new Option<string?>("--log-file") { Description = "Log file, rotated by size [logging.log_file]" };
        var logLevel = new Option<string?>("--log-level") { Description = "trace, debug, info, warn, error or fatal [logging.log_level]" };
        var pidFile = new Option<string?>("--pid-file") { Description = "PID file, locked while running [daemon.pid_file]" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate configuration, ports and directories, print the effective configuration, and exit" };
        var daemon = new Option<bool>("--daemon", "-d") { Description = "Detach into the background once ready (PID file, log file, new session) [daemon.daemonize]" };

        var command = new Command("start", "Run the kernel service (HTTP control plane + Jupyter kernel) in the foreground")
        {
            port, ip, config, id, connectionFile, logFile, logLevel, pidFile, dryRun, daemon,
        };
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, string? value) { if (value is not null) overrides[key] = value; }
            Set("kernel:port", parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set("kernel:ip", parse.GetValue(ip));
            Set("kernel:id", parse.GetValue(id));
            Set("kernel:connection_file", parse.GetValue(connectionFile) is { } cf ? Path.GetFullPath(cf) : null);
            Set("logging:log_file", parse.GetValue(logFile) is { } lf ? Path.GetFullPath(lf) : null);
            Set("logging:log_level", parse.GetValue(logLevel));
            Set("daemon:pid_file", parse.GetValue(pidFile) is { } pf ? Path.GetFullPath(pf) : null);
            if (parse.GetValue(daemon)) overrides["daemon:daemonize"] = "true";
            var sources = new ConfigSources { ConfigPath = parse.GetValue(config) is { } c ? Path.GetFullPath(c) : null, Overrides = overrides };
            return await RunAsync(sources, parse.GetValue(dryRun), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(ConfigSources sources, bool dryRun, TextWriter output, TextWriter error, CancellationToken ct)
    {
        LoadedConfig config;
        ServiceRuntime runtime;
        try
        {
            config = ConfigLoader.Load(sources);
            runtime = ServiceRuntime.Resolve(config.Options, sources);
        }
        catch (ConfigException e)
        {
            var errors = e.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
            error.WriteLine($"llmspell: the configuration is invalid ({errors.Count} error(s)); nothing was started:");
            foreach (var problem in e.Problems) error.WriteLine("  " + problem);
            DaemonChild.NotifyFailed("invalid configuration: " + string.Join("; ", errors));
            return ExitCodes.InvalidConfiguration;
        }
        foreach (var warning in config.Warnings) error.WriteLine(warning);

        if (dryRun) return DryRun(config, runtime, output, error);
        if (config.Options.Daemon.Daemonize && !DaemonChild.IsDaemonChild)
            return DaemonLauncher.Launch(sources, config, runtime, output, error);

        var failure = await RunServiceAsync(config, sources, runtime);
        if (failure is null) return ExitCodes.Ok;
        error.WriteLine("llmspell: " + failure);
        DaemonChild.NotifyFailed(failure);
        return ExitCodes.Failure;
    }

    /// <summary>Runs until shutdown; returns null on a clean stop, else the cause worded for the operator.</summary>
    private static async Task<string?> RunServiceAsync(LoadedConfig config, ConfigSources sources, ServiceRuntime runtime)
    {
        var port = config.Options.Kernel.Port;
        // From here on SIGTERM/SIGINT mean "stop", even before the host has registered its own handlers.
        using var stopping = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
        try
        {
            await using var app = ServiceApp.Build(config, sources, runtime);
            await app.RunAsync(stopping.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            // SIGTERM/SIGINT arrived while the host was still starting: the start was abandoned cleanly.
            return null;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            return $"Address already in use: {config.Options.Kernel.Ip}:{port} is taken by another process. Stop it (see `lsof -i :{port}`) or choose another port with --port.";
        }
        catch (NetMQ.NetMQException e) when (e.ErrorCode == NetMQ.ErrorCode.AddressAlreadyInUse)
        {
            return $"Address already in use: a Jupyter channel port (kernel.port+1..+5 = {port + 1}-{port + 5}) is taken. Choose another --port, or 0 for free ports.";
        }
        catch (ServiceStartException e)
        {
            return e.Message;
        }
        catch (ConfigException e)
        {
            return "cannot start: " + string.Join("; ", e.Problems.Select(p => p.ToString()));
        }
        catch (UnauthorizedAccessException e)
        {
            return $"Permission denied: {e.Message}";
        }
    }

    private static int DryRun(LoadedConfig config, ServiceRuntime runtime, TextWriter output, TextWriter error)
    {
        var problems = PreflightChecks.Run(config.Options, runtime);
        output.Write(EffectiveConfigPrinter.ToToml(config));
        if (problems.Count == 0)
        {
            output.WriteLine();
            output.WriteLine($"Configuration OK: would serve http://{config.Options.Kernel.Ip}:{config.Options.Kernel.Port} (nothing was started).");
            return ExitCodes.Ok;
        }
        error.WriteLine($"llmspell: {problems.Count} problem(s) found:");
        foreach (var problem in problems) error.WriteLine("  " + problem);
        return ExitCodes.Failure;
    }
}
