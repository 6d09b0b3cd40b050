using System.Runtime.InteropServices;
using LlmSpell.Server.Config;
using LlmSpell.Server.Logging;
using LlmSpell.Service.Native;

namespace LlmSpell.Server;

/// <summary>
/// SIGHUP reloads the configuration, SIGUSR1 logs a statistics snapshot and reopens the log file,
/// SIGUSR2 toggles debug logging. SIGTERM/SIGINT are the host's graceful shutdown.
/// </summary>
public sealed partial class SignalHandlerService(
    ConfigReloader reloader,
    LogLevelController logLevel,
    LogFile logFile,
    StatisticsSnapshot statistics,
    ILogger<SignalHandlerService> logger) : IHostedService
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    private const int SigHupNumber = 1; // PosixSignal.SIGHUP is an abstract value, not the OS number

    // PosixSignal has no members for USR1/USR2; raw numbers are accepted and differ per OS.
    public static PosixSignal SigUsr1 => (PosixSignal)(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 30 : 10);
    public static PosixSignal SigUsr2 => (PosixSignal)(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 31 : 12);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows()) return Task.CompletedTask;
        // A registration does not take effect on a signal the parent left ignored (nohup ignores SIGHUP).
        foreach (var (number, name) in new[] { (SigHupNumber, "SIGHUP"), ((int)SigUsr1, "SIGUSR1"), ((int)SigUsr2, "SIGUSR2") })
            if (Posix.UnignoreSignal(number)) Log.SignalWasIgnored(logger, name);
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
            catch (Exception e) { Log.SignalFailed(logger, e, context.Signal); }
        });
    };

    private void DumpStatistics()
    {
        logFile.Reopen();
        var s = statistics.Take();
        Log.Statistics(logger, s.UptimeSeconds, s.Requests, s.RequestErrors, s.Kernels, s.KernelsBusy, s.Executions, s.ExecutionErrors,
            s.RejectedMessages, s.ConnectedClients, s.WorkingSetBytes, s.ManagedHeapBytes, s.Gen0Collections, s.Gen1Collections, s.Gen2Collections, s.Threads);
    }

    private void ToggleDebug() => Log.LevelToggled(logger, LogLevels.Name(logLevel.ToggleDebug()));

    private static partial class Log
    {
        [LoggerMessage(EventId = 2300, Level = LogLevel.Error, Message = "Handling signal {Signal} failed")]
        public static partial void SignalFailed(ILogger logger, Exception exception, PosixSignal signal);

        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Statistics (SIGUSR1): uptime {Uptime}s, requests {Requests} ({RequestErrors} errors), kernels {Kernels} ({Busy} busy), executions {Executions} ({ExecutionErrors} errors), rejected messages {Rejected}, clients {Clients}, working set {WorkingSet} bytes, heap {Heap} bytes, GC {Gen0}/{Gen1}/{Gen2}, threads {Threads}")]
        public static partial void Statistics(ILogger logger, double uptime, long requests, long requestErrors, int kernels, int busy, long executions,
            long executionErrors, long rejected, int clients, long workingSet, long heap, int gen0, int gen1, int gen2, int threads);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Debug, Message = "{Signal} was ignored by the parent process (nohup?); restored its default so the handler takes effect")]
        public static partial void SignalWasIgnored(ILogger logger, string signal);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Log level is now {Level} (SIGUSR2)")]
        public static partial void LevelToggled(ILogger logger, string level);
    }
}
