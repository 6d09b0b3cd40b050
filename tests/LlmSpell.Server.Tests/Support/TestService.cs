using LlmSpell.Server.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSpell.Server.Tests.Support;

/// <summary>The real service app on ASP.NET's in-memory test server, with real kernels on OS-assigned loopback ports.</summary>
public sealed class TestService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestService(WebApplication app, TempDir dir, ServiceRuntime runtime, string? configFile)
    {
        _app = app;
        Dir = dir;
        Runtime = runtime;
        ConfigFile = configFile;
        Client = app.GetTestClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", runtime.Key);
    }

    /// <summary>Sends the service token (as the CLI does); see <see cref="CreateUnauthenticatedClient"/> for a stranger.</summary>
    public HttpClient Client { get; }

    /// <summary>A client that sends no Authorization header.</summary>
    public HttpClient CreateUnauthenticatedClient() => _app.GetTestClient();
    public TempDir Dir { get; }
    public ServiceRuntime Runtime { get; }
    public string? ConfigFile { get; }
    public IServiceProvider Services => _app.Services;
    public LlmSpell.Server.Kernels.KernelManager Kernels => _app.Services.GetRequiredService<LlmSpell.Server.Kernels.KernelManager>();

    public static async Task<TestService> StartAsync(string? toml = null, IDictionary<string, string?>? overrides = null)
    {
        var dir = new TempDir();
        var configFile = toml is null ? null : dir.Write("kernel.toml", toml);
        var all = new Dictionary<string, string?>
        {
            ["kernel:port"] = "0",
            ["kernel:connection_file"] = dir.Combine("kernel.json"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) all[key] = value;
        var sources = new ConfigSources
        {
            ConfigPath = configFile,
            Overrides = all,
            Environment = new Dictionary<string, string?>(),
            AppSettingsDirectory = dir.Path,
        };
        var config = ConfigLoader.Load(sources);
        var resolved = ServiceRuntime.Resolve(config.Options, sources);
        var runtime = new ServiceRuntime
        {
            ServiceId = resolved.ServiceId,
            RuntimeDirectory = dir.Path,
            DefaultConnectionFile = resolved.DefaultConnectionFile,
            Key = resolved.Key,
            KeyWasGenerated = resolved.KeyWasGenerated,
        };
        var app = ServiceApp.Build(config, sources, runtime, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return new TestService(app, dir, runtime, configFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Dir.Dispose();
    }
}
