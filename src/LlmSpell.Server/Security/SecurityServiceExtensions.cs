using System.Globalization;
using System.Threading.RateLimiting;
using LlmSpell.Server.Config;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;

namespace LlmSpell.Server.Security;

/// <summary>The current <see cref="OriginPolicy"/>, rebuilt when a reload changes security.allowed_origins.</summary>
public sealed class OriginPolicyProvider(ConfigStore config)
{
    private readonly Lock _gate = new();
    private OriginPolicy? _policy;
    private string[]? _source;

    public OriginPolicy Current
    {
        get
        {
            var origins = config.Options.Security.AllowedOrigins;
            lock (_gate)
            {
                if (_policy is null || !ReferenceEquals(origins, _source)) { _policy = new OriginPolicy(origins); _source = origins; }
                return _policy;
            }
        }
    }
}

/// <summary>/metrics needs the token only while security.metrics_require_token is true (live on reload).</summary>
public sealed class MetricsTokenRequirement : IAuthorizationRequirement;

public sealed class MetricsTokenHandler(ConfigStore config) : AuthorizationHandler<MetricsTokenRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsTokenRequirement requirement)
    {
        if (!config.Options.Security.MetricsRequireToken || context.User.Identity?.IsAuthenticated == true) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public static partial class SecurityServiceExtensions
{
    /// <summary>Every /api endpoint: a valid token.</summary>
    public const string ApiPolicy = "llmspell-api";
    /// <summary>/metrics: a valid token when security.metrics_require_token is set.</summary>
    public const string MetricsPolicy = "llmspell-metrics";

    public static IServiceCollection AddLlmSpellSecurity(this IServiceCollection services)
    {
        services.AddSingleton<TokenVerifier>();
        services.AddSingleton<OriginPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, MetricsTokenHandler>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(MetricsPolicy, p => p.AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName).AddRequirements(new MetricsTokenRequirement()));

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<OriginPolicyProvider>((cors, origins) => cors.AddDefaultPolicy(policy => policy
            .SetIsOriginAllowed(origin => origins.Current.IsOriginAllowed(origin))
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Retry-After", "WWW-Authenticate")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<ConfigStore>().Options.Security.RateLimitPerMinute;
                if (perMinute <= 0 || !context.Request.Path.StartsWithSegments("/api")) return RateLimitPartition.GetNoLimiter("unlimited");
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter($"{client}|{perMinute}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Log.RateLimited(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LlmSpell.Security"),
                    context.Connection.RemoteIpAddress, context.Request.Path.Value);
                await SecurityProblems.WriteAsync(context.RequestServices.GetRequiredService<IProblemDetailsService>(), context,
                    StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This client exceeded security.rate_limit_per_minute; retry after {seconds} s.");
            };
        });
        return services;
    }

    /// <summary>Host/Origin/size guard, CORS, rate limiting, authentication and authorization, in that order.</summary>
    public static WebApplication UseLlmSpellSecurity(this WebApplication app)
    {
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2412, Level = LogLevel.Warning, Message = "Rate limit exceeded by {Remote} on {Path}")]
        public static partial void RateLimited(ILogger logger, System.Net.IPAddress? remote, string? path);
    }
}
