using System.Diagnostics;
using System.Net;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Security;

/// <summary>
/// A <see cref="ServiceProcess"/> with its own runtime directory (so its token file is private to the test), plain or
/// TLS. The CLI runs with the same environment, so it finds the token as a user would.
/// </summary>
public sealed class SecuredService : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private SecuredService(ServiceProcess process, IReadOnlyDictionary<string, string?> environment)
    {
        _process = process;
        Environment = environment;
    }

    public TempDir Dir => _process.Dir;
    public IReadOnlyDictionary<string, string?> Environment { get; }
    public Uri BaseUrl => _process.BaseUrl;
    public string ConnectionFile => _process.ConnectionFile;
    public string ConfigFile => _process.ConfigFile;
    public string RuntimeDirectory => Dir.File("run");
    public string TokenFile => Path.Combine(RuntimeDirectory, $"token-{BaseUrl.Port}");
    public string Token => File.ReadAllText(TokenFile).Trim();
    public string Output => _process.Stdout + _process.Stderr;
    public bool HasExited => _process.HasExited;

    /// <summary>An HttpClient for this service (trusting any certificate: the TLS tests check trust with curl and the CLI).</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        ConnectTimeout = TimeSpan.FromSeconds(5),
    }) { Timeout = TimeSpan.FromSeconds(20) };

    public static IReadOnlyDictionary<string, string?> EnvironmentFor(TempDir dir)
    {
        var xdg = dir.File("xdg");
        Directory.CreateDirectory(xdg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string?>
        {
            ["XDG_RUNTIME_DIR"] = xdg, ["XDG_STATE_HOME"] = dir.File("state"), ["HOME"] = dir.Path,
            ["LLMSPELL_RUNTIME_DIR"] = dir.File("run"),
        };
    }

    /// <summary>Returns once /health answers; the token file is written before the service reports ready.</summary>
    public static async Task<SecuredService> StartAsync(string configToml = "", TempDir? dir = null,
        IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        dir ??= new TempDir();
        var environment = new Dictionary<string, string?>(EnvironmentFor(dir));
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>()) environment[name] = value;
        var process = await ServiceProcess.StartAsync(configToml: configToml, dir: dir, environment: environment, ownsDir: true);
        var service = new SecuredService(process, environment);
        Assert.True(File.Exists(service.TokenFile), $"no token file at {service.TokenFile} once the service was healthy\n{service.Output}");
        return service;
    }

    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(BaseUrl, "/health"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    /// <summary>Sends SIGTERM and returns the exit code (fails the test if it does not exit within <paramref name="timeout"/>).</summary>
    public async Task<int> StopWithSigtermAsync(TimeSpan timeout)
    {
        Processes.Signal(_process.Pid, Processes.SIGTERM);
        return await _process.WaitForExitAsync(timeout);
    }

    public Task<ProcessResult> CliAsync(params string[] args) => Cli.RunAsync(args, environment: Environment, workingDirectory: Dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Http.Dispose();
    }
}
