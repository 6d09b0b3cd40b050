using System.Runtime.InteropServices;
using LlmSpell.Server.Api;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Logging;

namespace LlmSpell.Server;

/// <summary>
/// SIGHUP reloads the configuration, SIGUSR1 logs a statistics snapshot and reopens the log file,
/// SIGUSR2 toggles debug logging. SIGTERM/SIGINT are the host's graceful shutdown.
/// </summary>
public sealed class SignalHandlerService(
    ConfigReloader reloader,
    LogLevelController logLevel,
    KernelManager kernels,
    ServiceStats stats,
    ILogger<SignalHandlerService> logger) : IHostedService
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    // PosixSignal has no members for USR1/USR2; raw numbers are accepted and differ per OS.
    public static PosixSignal SigUsr1 => (PosixSignal)(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 30 : 10);
    public static PosixSignal SigUsr2 => (PosixSignal)(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 31 : 12);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows()) return Task.CompletedTask;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal(() => reloader.Reload("SIGHUP"))));
        _registrations.Add(PosixSignalRegistration.Create(SigUsr1, OnSignal(DumpStatistics)));
        _registrations.Add(PosixSignalRegistration.Create(SigUsr2, OnSignal(ToggleDebug)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in _registrations) registration.Dispose();
        _registrations.Clear();
        return Task.CompletedTask;
    }

    private Action<PosixSignalContext> OnSignal(Action action) => context =>
    {
        context.Cancel = true; // handled: the default action would terminate the process
        // Leave the signal thread at once; the work may log and touch files.
        _ = Task.Run(() =>
        {
            try { action(); }
            catch (Exception e) { logger.LogError(e, "Handling signal {Signal} failed", context.Signal); }
        });
    };

    private void DumpStatistics()
    {
        RotatingFileSink.Current?.Reopen();
        var s = ServiceApi.Snapshot(kernels, stats);
        logger.LogInformation(
            "Statistics (SIGUSR1): uptime {Uptime}s, requests {Requests} ({RequestErrors} errors), kernels {Kernels} ({Busy} busy), executions {Executions} ({ExecutionErrors} errors), rejected messages {Rejected}, clients {Clients}, working set {WorkingSet} bytes, heap {Heap} bytes, GC {Gen0}/{Gen1}/{Gen2}, threads {Threads}",
            s.UptimeSeconds, s.Requests, s.RequestErrors, s.Kernels, s.KernelsBusy, s.Executions, s.ExecutionErrors,
            s.RejectedMessages, s.ConnectedClients, s.WorkingSetBytes, s.ManagedHeapBytes, s.Gen0Collections, s.Gen1Collections, s.Gen2Collections, s.Threads);
    }

    private void ToggleDebug()
    {
        var level = logLevel.ToggleDebug();
        logger.LogWarning("Log level is now {Level} (SIGUSR2)", LogLevelController.Name(level));
    }
}
