using System.Diagnostics;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Logging;
using LlmSpell.Server.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>Service-wide control: status, statistics, configuration reload and shutdown.</summary>
public static class ServiceApi
{
    public static RouteGroupBuilder MapServiceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Service");
        group.MapGet("/status", Status).WithName("GetStatus").WithSummary("Service identity, files, log level and kernels");
        group.MapGet("/stats", Stats).WithName("GetStats").WithSummary("Counters and gauges: uptime, requests, kernels, executions, errors, memory, GC, threads");
        group.MapPost("/reload", Reload).WithName("ReloadConfig").WithSummary("Re-read the configuration and apply what can change live");
        group.MapPost("/shutdown", Shutdown).WithName("Shutdown").WithSummary("Gracefully stop the whole service");
        return group;
    }

    private static Ok<ServiceStatus> Status(KernelManager kernels, ServiceRuntime runtime, ServiceStats stats, ConfigStore config,
        LogLevelController logLevel, IHostApplicationLifetime lifetime) =>
        TypedResults.Ok(new ServiceStatus(
            runtime.ServiceId, ServiceRuntime.Version, runtime.Pid,
            lifetime.ApplicationStopping.IsCancellationRequested ? "stopping" : "running",
            stats.Started, Math.Round(stats.Uptime.TotalSeconds, 3), runtime.HttpUrl, config.Current.ConfigFile,
            runtime.PidFile, runtime.LogFile, logLevel.EffectiveName,
            kernels.All.Select(k => KernelModel.From(k, kernels.DefaultKernelId)).ToList()));

    private static Ok<ServiceStatistics> Stats(KernelManager kernels, ServiceStats stats) => TypedResults.Ok(Snapshot(kernels, stats));

    public static ServiceStatistics Snapshot(KernelManager kernels, ServiceStats stats)
    {
        using var process = Process.GetCurrentProcess();
        var all = kernels.All;
        return new ServiceStatistics(
            Math.Round(stats.Uptime.TotalSeconds, 3), stats.Requests, stats.RequestErrors,
            all.Count, all.Count(k => k.State == LlmSpell.Kernel.KernelState.Busy),
            stats.Executions, stats.ExecutionErrors, stats.RejectedMessages, all.Sum(k => k.ConnectedClients),
            process.WorkingSet64, GC.GetTotalMemory(false),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            process.Threads.Count, stats.LastActivity);
    }

    private static Results<Ok<ReloadResult>, ProblemHttpResult> Reload(ConfigReloader reloader)
    {
        var outcome = reloader.Reload("REST request");
        if (!outcome.Succeeded && outcome.Problems is { } problems)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Invalid configuration; the previous configuration stays in force",
                detail: string.Join(Environment.NewLine, problems.Where(p => p.Severity == ProblemSeverity.Error)),
                extensions: new Dictionary<string, object?> { ["problems"] = problems.Select(p => p.ToString()).ToArray() });
        }
        return TypedResults.Ok(new ReloadResult(outcome.ConfigFile,
            outcome.Changes.Select(c => new ConfigChangeModel(c.Key, c.Old, c.New, c.Applied)).ToList(), outcome.Warnings));
    }

    private static Accepted<ShutdownAccepted> Shutdown(IHostApplicationLifetime lifetime, ILogger<ServiceRuntime> logger)
    {
        logger.LogInformation("Shutdown requested through the REST API");
        // Answer first, then stop: StopApplication triggers the same graceful path as SIGTERM.
        _ = Task.Run(async () =>
        {
            await Task.Delay(50);
            lifetime.StopApplication();
        });
        return TypedResults.Accepted((string?)null, new ShutdownAccepted("Service is shutting down"));
    }
}
