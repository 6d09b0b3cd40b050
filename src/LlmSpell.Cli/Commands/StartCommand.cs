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
        var flags = new ConfigFlags();
        var config = CommonOptions.Config();
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate configuration, ports and directories, print the effective configuration, and exit" };

        var command = new Command("start", "Run the kernel service (HTTP control plane + Jupyter kernel) in the foreground") { config, dryRun };
        foreach (var option in flags.Options) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var sources = new ConfigSources { ConfigPath = parse.GetValue(config) is { } c ? Path.GetFullPath(c) : null, Overrides = flags.Overrides(parse) };
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
        // In cluster mode, once the host runs, its DrainingLifetime owns them: it drains first, then stops the host.
        using var stopping = new CancellationTokenSource();
        var drainOwnsSignals = false;
        void Stop(PosixSignalContext c)
        {
            c.Cancel = true;
            if (!Volatile.Read(ref drainOwnsSignals)) stopping.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            await using var app = ServiceApp.Build(config, sources, runtime);
            if (config.Options.Cluster.Enabled) app.Lifetime.ApplicationStarted.Register(() => Volatile.Write(ref drainOwnsSignals, true));
            await app.RunAsync(stopping.Token);
            // A start that failed after the host was up (files it could not write) stops cleanly, but is a failure.
            return runtime.StartupFailure is { } failure ? $"could not complete startup: {failure}" : null;
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
            return $"Address already in use: a Jupyter channel port (kernel.port+1..+5 = {LlmSpell.Server.Kernels.ChannelPorts.Range(port)}) is taken. Choose another --port, or 0 for free ports.";
        }
        catch (ServiceStartException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            // No space left, a read-only file system, an I/O error: one line naming the file and the problem.
            return $"cannot start: {e.Message}";
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

    /// <summary>Each provider and whether its key is there (a missing key is a warning: it is only needed when a script calls it).</summary>
    private static void WriteProviders(LoadedConfig config, TextWriter output, TextWriter error)
    {
        using var llm = new LlmSpell.Llm.LlmRuntime(LlmSpell.Server.Scripting.ScriptingFromConfig.Llm(config.Options));
        output.WriteLine();
        output.WriteLine("# model providers (nothing was called)");
        foreach (var p in llm.Providers)
        {
            var key = p.KeySource == "none" ? "no key needed" : p.KeyPresent ? $"key present ({p.KeySource})" : $"key MISSING ({p.KeySource})";
            output.WriteLine($"#   {p.Name}: {p.Type} at {p.BaseUrl}, default model {p.DefaultModel ?? "(none)"}, {key}");
            if (p.KeySource != "none" && !p.KeyPresent)
                error.WriteLine($"llmspell: warning: provider '{p.Name}' has no API key ({p.KeySource}); scripts calling it will fail until it is set (e.g. in /etc/default/llmspell-kernel)");
        }
    }

    /// <summary>
    /// Where State keeps values. For PostgreSQL: which variable or file holds the connection string, whether it is there
    /// and where it points (never its password; nothing is connected). A missing one is a warning, like a provider key.
    /// </summary>
    private static void WriteState(LoadedConfig config, TextWriter output, TextWriter error)
    {
        var state = config.Options.State;
        output.WriteLine();
        output.WriteLine("# state (nothing was opened)");
        if (state.Backend == "postgres" && state.PostgresSource() is { } source)
        {
            var (usable, description) = source.Inspect();
            output.WriteLine($"#   postgres, connection string from {source.Origin}: {(usable ? description : "MISSING OR INVALID")}");
            if (!usable)
                error.WriteLine($"llmspell: warning: {description} State calls will fail until it is fixed.");
        }
        else if (state.Backend == "sqlite")
            output.WriteLine($"#   sqlite, file {Path.GetFullPath(state.FileIn(config.Options.Daemon.WorkingDir ?? Environment.CurrentDirectory))}");
        else
            output.WriteLine($"#   {state.Backend}, kept by this process only");
    }

    private static int DryRun(LoadedConfig config, ServiceRuntime runtime, TextWriter output, TextWriter error)
    {
        var problems = PreflightChecks.Run(config.Options, runtime);
        output.Write(EffectiveConfigPrinter.ToToml(config));
        WriteProviders(config, output, error);
        WriteState(config, output, error);
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
