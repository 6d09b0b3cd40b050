using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmSpell.Server.Health;

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

    public static IEndpointRouteBuilder MapLlmSpellHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag), ResponseWriter = WriteAsync })
            .WithName("Health").WithSummary("Liveness: status, version, uptime, pid and each kernel's state; 503 when unhealthy").WithTags("Health")
            .DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithName("Ready").WithSummary("Readiness: 200 only when the default kernel can take work").WithTags("Health")
            .DisableRateLimiting();
        return app;
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var runtime = context.RequestServices.GetRequiredService<ServiceRuntime>();
        var stats = context.RequestServices.GetRequiredService<ServiceStats>();
        var kernels = context.RequestServices.GetRequiredService<Kernels.KernelManager>();
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status switch { HealthStatus.Healthy => "healthy", HealthStatus.Degraded => "degraded", _ => "unhealthy" },
            version = ServiceRuntime.Version,
            uptime_seconds = Math.Round(stats.Uptime.TotalSeconds, 3),
            pid = runtime.Pid,
            id = runtime.ServiceId,
            kernels = kernels.All.Select(k => new { id = k.Id, execution_state = LlmSpell.Kernel.KernelStateNames.ToWire(k.State) }),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description),
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
