using System.Net;
using System.Text.Json;
using LlmSpell.Server.Api;
using LlmSpell.Server.Cluster;
using LlmSpell.Server.Config;
using LlmSpell.Server.Health;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Logging;
using LlmSpell.Server.Metrics;
using LlmSpell.Server.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prometheus;
using Serilog;

namespace LlmSpell.Server;

/// <summary>Composes the ASP.NET Core application that hosts the kernels and serves the control plane.</summary>
public static class ServiceApp
{
    public const string ApiDocumentName = "v1";

    /// <param name="customize">Lets tests swap infrastructure at the edge (e.g. the test server).</param>
    /// <param name="documentOnly">For the build-time OpenAPI generator: no kernels, signals or log output.</param>
    public static WebApplication Build(LoadedConfig config, ConfigSources sources, ServiceRuntime runtime,
        Action<WebApplicationBuilder>? customize = null, bool documentOnly = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "llmspell",
        });
        var options = config.Options;

        var logLevel = new LogLevelController(options.Logging.LogLevel);
        var (logger, logFile) = documentOnly ? (new Serilog.LoggerConfiguration().CreateLogger(), null) : LoggingSetup.CreateLogger(options, runtime, logLevel);
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(logger, dispose: true);

        builder.Host.UseSystemd();
        // Loaded now so a missing or unreadable PEM file is a startup error naming it, before anything binds.
        var certificate = options.Security.TlsEnabled && !documentOnly ? TlsCertificate.Load(options.Security.TlsCert!, options.Security.TlsKey!) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Security.MaxMessageSizeMb * 1024L * 1024L;
            var address = options.Kernel.Ip switch
            {
                "localhost" => IPAddress.Loopback,
                "*" => IPAddress.Any,
                var ip => IPAddress.Parse(ip),
            };
            kestrel.Listen(address, options.Kernel.Port, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });

        builder.Services.AddSingleton(new ConfigStore(config, sources));
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceStats>();
        builder.Services.AddSingleton(logLevel);
        builder.Services.AddSingleton(new LogFile(logFile));
        builder.Services.AddSingleton<StatisticsSnapshot>();
        builder.Services.AddSingleton<ConfigReloader>();
        builder.Services.AddSingleton<KernelMetricsObserver>();
        builder.Services.AddSingleton(new LlmMetricsObserver(LlmSpell.Server.Scripting.ScriptingFromConfig.KnownModels(config.Options)));
        builder.Services.AddSingleton(sp => LlmSpell.Server.Scripting.ScriptingFromConfig.Create(
            config.Options, sp.GetRequiredService<LlmMetricsObserver>(), sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<LlmSpell.Gateway.GatewayConnections>();
        builder.Services.AddSingleton(new LlmSpell.Gateway.GatewayOptions
        {
            MaxMessageBytes = options.Security.MaxMessageSizeMb * 1024L * 1024L,
            MaxQueuedBytes = options.Kernels.WebsocketBufferMb * 1024L * 1024L,
        });
        builder.Services.AddSingleton<LlmSpell.Gateway.ChannelsGateway>();
        builder.Services.AddSingleton<KernelManager>();
        builder.Services.AddLlmSpellCluster(options, runtime, documentOnly);
        if (!documentOnly)
        {
            builder.Services.AddHostedService<TokenFileService>();
            builder.Services.AddHostedService<ServiceLifecycle>();
            builder.Services.AddHostedService<KernelHostedService>();
            builder.Services.AddHostedService<SignalHandlerService>();
            builder.Services.AddHostedService<IdleTimeoutService>();
            builder.Services.AddHostedService<PrespawnPool>();
            // A singleton too, so a test can run a check at once.
            builder.Services.AddSingleton<KernelCuller>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<KernelCuller>());
        }
        // In cluster mode SIGTERM first lets running cells finish for up to drain_timeout.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15 + (options.Cluster.Enabled ? options.Cluster.DrainTimeout : 0)));

        // Every ProblemDetails (handlers' TypedResults.Problem, the security layer, status pages, the exception handler)
        // is written through IProblemDetailsService, so every one gets Jupyter's "reason" and "message" here.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = JupyterErrorFields.Add);
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Apply(o.SerializerOptions));
        builder.Services.AddLlmSpellHealthChecks();
        builder.Services.AddLlmSpellSecurity();
        // Authentication pulls in Data Protection, which would create and persist a key ring under ~/.aspnet at
        // startup (slow, and read-only under ProtectHome=). Nothing here protects data with it.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddOpenApi(ApiDocumentName, o => o
            .AddDocumentTransformer(OpenApiInfo.ApplyAsync)
            .AddDocumentTransformer(OpenApiSecurity.DeclareTokenAsync)
            .AddSchemaTransformer((schema, _, _) =>
            {
                // A property with its own JsonConverter (JupyterTimestampConverter) loses its type; its format still says what it is.
                if (schema.Format == "date-time" && schema.Type is null) schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
                return Task.CompletedTask;
            }));

        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            await next(context);
            context.RequestServices.GetRequiredService<ServiceStats>().RecordRequest(context.Response.StatusCode >= 500);
        });
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = logger; // not the static Log.Logger: each app (and each test host) has its own
            o.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics") ? Serilog.Events.LogEventLevel.Verbose
                : Serilog.Events.LogEventLevel.Information;
        });
        app.UseHttpMetrics();
        app.UseWebSockets(); // before authentication: it reads ?token= only on websocket upgrades, which this middleware marks
        app.UseLlmSpellSecurity();
        if (app.Services.GetService<LlmSpell.Server.Cluster.ClusterRouting>() is { } routing) app.Use(routing.InvokeAsync);

        app.MapLlmSpellHealth();
        app.MapMetrics("/metrics").RequireAuthorization(SecurityServiceExtensions.MetricsPolicy);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "swagger";
            o.SwaggerEndpoint($"/openapi/{ApiDocumentName}.json", "LLMSpell kernel service");
            o.DocumentTitle = "LLMSpell kernel service";
        });
        app.MapVersionApi();
        app.MapKernelsApi().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);
        app.MapChannelsApi().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);
        app.MapKernelspecsApi().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);
        app.MapKernelspecResources().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);
        app.MapServiceApi().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);
        app.MapProvidersApi().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);
        app.MapClusterApi().RequireAuthorization(SecurityServiceExtensions.ApiPolicy);

        LlmSpellMetrics.BuildInfo.WithLabels(ServiceRuntime.Version).Set(1);
        LlmSpellMetrics.StartTime.Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        // The registry is process-wide and keeps callbacks forever; hold the manager itself, never the (disposable) container.
        var kernels = app.Services.GetRequiredService<KernelManager>();
        var websockets = app.Services.GetRequiredService<LlmSpell.Gateway.GatewayConnections>();
        var running = true;
        var peerDirectory = app.Services.GetService<LlmSpell.Cluster.PeerDirectory>();
        if (runtime.OwnerTag is { } ownerTag)
            LlmSpellMetrics.ClusterInstance.WithLabels(runtime.InstanceId, LlmSpell.Cluster.OwnerTags.Format(ownerTag)).Set(1);
        app.Lifetime.ApplicationStopped.Register(() => running = false);
        // Kestrel's stop waits for open requests, and a websocket stays open until closed: close them as shutdown begins.
        app.Lifetime.ApplicationStopping.Register(() => websockets.CloseEverythingAsync("the llmspell service is shutting down"));
        websockets.CountChanged += total => { if (running) LlmSpellMetrics.WebsocketConnections.Set(total); };
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            if (!running) return;
            kernels.PublishCounts();
            if (peerDirectory is not null)
            {
                var peers = peerDirectory.Peers.Where(p => p.Error != "this instance").ToList();
                LlmSpellMetrics.ClusterPeers.WithLabels("up").Set(peers.Count(p => p.Up));
                LlmSpellMetrics.ClusterPeers.WithLabels("down").Set(peers.Count(p => !p.Up));
            }
            LlmSpellMetrics.WebsocketConnections.Set(websockets.Total);
        });

        return app;
    }
}
