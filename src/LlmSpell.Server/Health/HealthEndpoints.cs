using LlmSpell.Server.Kernels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmSpell.Server.Health;

/// <param name="InterruptPendingSeconds">How long the running cell has ignored an interrupt; null when none is pending.</param>
public sealed record KernelHealth(string Id, string ExecutionState, double? InterruptPendingSeconds);

public sealed record HealthResponse(string Status, string Version, double UptimeSeconds, int Pid, string Id,
    IReadOnlyList<KernelHealth> Kernels, IReadOnlyDictionary<string, string?> Checks);

/// <summary>/health (liveness) and /health/ready (readiness) over the framework's health checks; open to probes.</summary>
public static class HealthEndpoints
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    public static IServiceCollection AddLlmSpellHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<KernelHealthCheck>("kernels", tags: [LiveTag])
            .AddCheck<DefaultKernelReadyCheck>("default_kernel", tags: [ReadyTag]);
        return services;
    }

    public static RouteGroupBuilder MapLlmSpellHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").DisableRateLimiting();
        group.MapGet("/", (HttpContext c, HealthCheckService h) => Check(c, h, LiveTag))
            .WithName("Health").WithSummary("Liveness: status, version, uptime, pid and each kernel's state; 503 when unhealthy")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/ready", (HttpContext c, HealthCheckService h) => Check(c, h, ReadyTag))
            .WithName("Ready").WithSummary("Readiness: 200 only when the default kernel can take work")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Check(HttpContext context, HealthCheckService health, string tag)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(tag), context.RequestAborted);
        var services = context.RequestServices;
        var runtime = services.GetRequiredService<ServiceRuntime>();
        var stats = services.GetRequiredService<ServiceStats>();
        var kernels = services.GetRequiredService<KernelManager>();
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthResponse(
            report.Status switch { HealthStatus.Healthy => "healthy", HealthStatus.Degraded => "degraded", _ => "unhealthy" },
            ServiceRuntime.Version, Math.Round(stats.Uptime.TotalSeconds, 3), runtime.Pid, runtime.ServiceId,
            kernels.All.Select(k => new KernelHealth(k.Id, LlmSpell.Kernel.KernelStateNames.ToWire(k.State),
                k.InterruptPendingFor is { } pending ? Math.Round(pending.TotalSeconds, 1) : null)).ToList(),
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Description));
        // Degraded still answers 200 (the service is up); only unhealthy is 503, as load balancers expect.
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(body, Api.ApiJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(body);
    }
}
