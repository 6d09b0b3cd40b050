using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Logging;
using LlmSpell.Server.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>Service-wide control: status, statistics, configuration reload and shutdown.</summary>
public static partial class ServiceApi
{
    public static RouteGroupBuilder MapServiceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Service").ProducesGuardProblems();
        group.MapGet("/status", Status).WithName("GetStatus").WithSummary("Service identity, files, log level and kernels");
        group.MapGet("/stats", Stats).WithName("GetStats").WithSummary("Counters and gauges: uptime, requests, kernels, executions, errors, memory, GC, threads");
        group.MapPost("/reload", Reload).WithName("ReloadConfig").WithSummary("Re-read the configuration and apply what can change live")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesBodyProblems();
        group.MapPost("/shutdown", Shutdown).WithName("Shutdown").WithSummary("Gracefully stop the whole service").ProducesBodyProblems();
        return group;
    }

    private static Ok<ServiceStatus> Status(KernelManager kernels, ServiceRuntime runtime, ServiceStats stats, ConfigStore config,
        LogLevelController logLevel, IHostApplicationLifetime lifetime) =>
        TypedResults.Ok(new ServiceStatus(
            runtime.ServiceId, ServiceRuntime.Version, runtime.Pid,
            lifetime.ApplicationStopping.IsCancellationRequested ? "stopping" : "running",
            stats.Started, Math.Round(stats.Uptime.TotalSeconds, 3), runtime.HttpUrl, config.Current.ConfigFile,
            runtime.PidFile, runtime.LogFile, logLevel.EffectiveName,
            kernels.All.Select(k => KernelModel.From(k, kernels)).ToList()));

    private static Ok<ServiceStatistics> Stats(StatisticsSnapshot snapshot) => TypedResults.Ok(snapshot.Take());

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

    private static Accepted<ShutdownAccepted> Shutdown(HttpContext context, IHostApplicationLifetime lifetime, ILogger<ServiceRuntime> logger)
    {
        Log.ShutdownRequested(logger);
        // Answer first, then stop: StopApplication triggers the same graceful path as SIGTERM.
        context.Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return TypedResults.Accepted((string?)null, new ShutdownAccepted("Service is shutting down"));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Shutdown requested through the REST API")]
        public static partial void ShutdownRequested(ILogger logger);
    }
}
