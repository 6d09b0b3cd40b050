using LlmSpell.Service.Daemon;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using LlmSpell.Service.Paths;
using LlmSpell.Service.Pid;
using LlmSpell.Service.Registry;

namespace LlmSpell.Server;

/// <summary>
/// The service's footprint on the machine: takes the PID file lock before anything binds, and once Kestrel and the
/// default kernel are up writes the PID, registers the service for `llmspell kernel status`/`stop`, and tells a
/// waiting `--daemon` launcher it is ready. On shutdown it removes all of it.
/// </summary>
public sealed partial class ServiceLifecycle(
    ServiceRuntime runtime,
    IServer server,
    Config.ConfigStore config,
    IHostApplicationLifetime lifetime,
    ILogger<ServiceLifecycle> logger) : IHostedService, IDisposable
{
    private PidFile? _pidFile;
    private ServiceRegistry? _registry;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (runtime.PidFile is { } path)
            _pidFile = PidFile.Acquire(path, logger);
        lifetime.ApplicationStarted.Register(OnReady);
        return Task.CompletedTask;
    }

    private void OnReady()
    {
        try
        {
            runtime.HttpUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            var current = config.Current;
            foreach (var warning in current.Warnings) Log.ConfigWarning(logger, warning.ToString());
            Log.Serving(logger, ServiceRuntime.Version, runtime.Pid, runtime.HttpUrl, runtime.ServiceId, current.ConfigFile ?? "none (defaults)");
            _pidFile?.WritePid(runtime.Pid);
            Register();
            DaemonChild.NotifyReady(runtime.Pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LlmSpell.Service.ServiceStartException)
        {
            Log.StartupFailed(logger, e.Message);
            runtime.StartupFailure = e.Message;
            DaemonChild.NotifyFailed(e.Message);
            lifetime.StopApplication();
        }
    }

    private void Register()
    {
        if (runtime.HttpUrl is not { } url) return;
        var paths = ServicePaths.Default;
        paths.EnsureRuntimeDir();
        _registry = new ServiceRegistry(paths.ServicesDir, logger);
        _registry.Prune();
        var uri = new Uri(url);
        _registry.Register(new ServiceRecord
        {
            Id = runtime.ServiceId,
            Pid = runtime.Pid,
            Port = uri.Port,
            UrlScheme = uri.Scheme,
            Host = uri.Host is "0.0.0.0" or "[::]" ? "127.0.0.1" : uri.Host,
            ConnectionFile = runtime.DefaultConnectionFile,
            PidFile = runtime.PidFile,
            LogFile = runtime.LogFile,
            Started = DateTimeOffset.UtcNow,
            Version = ServiceRuntime.Version,
        });
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Release();
        Log.Stopped(logger, runtime.ServiceId);
        return Task.CompletedTask;
    }

    /// <summary>Also on a failed start (e.g. port in use), where the host never calls StopAsync.</summary>
    public void Dispose() => Release();

    private void Release()
    {
        _registry?.Unregister(runtime.ServiceId);
        _registry = null;
        _pidFile?.Dispose();
        _pidFile = null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "llmspell {Version} (pid {Pid}) serving {Url}; service id {ServiceId}; config {ConfigFile}")]
        public static partial void Serving(ILogger logger, string version, int pid, string? url, string serviceId, string configFile);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "{ConfigWarning}")]
        public static partial void ConfigWarning(ILogger logger, string configWarning);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "Cannot complete startup: {Reason}")]
        public static partial void StartupFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Service {ServiceId} stopped; PID and registry files removed")]
        public static partial void Stopped(ILogger logger, string serviceId);
    }
}
