using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>
/// The real llmspell service as a kernel gateway, in a private <see cref="JupyterEnvironment"/> (its own temp dir, ports,
/// Jupyter and llmspell runtime directories), with its REST token read from its token file. A test starts one Jupyter
/// front end in front of it with <see cref="StartFrontendAsync"/>; disposal stops the front end, then the service.
/// </summary>
public sealed partial class GatewayWorld : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private readonly List<JupyterFrontend> _frontends = [];

    private GatewayWorld(JupyterEnvironment env, ServiceProcess service, string token)
    {
        Env = env;
        Service = service;
        Token = token;
    }

    public JupyterEnvironment Env { get; }

    public ServiceProcess Service { get; }

    /// <summary>llmspell's REST token, as `--GatewayClient.auth_token` passes it on.</summary>
    public string Token { get; }

    /// <summary>The front ends' notebook directory: inside the service's working directory (its temp dir), so the
    /// KERNEL_WORKING_DIR a session sends is used.</summary>
    public string NotebookDir => Env.Dir.File("notebooks");

    public static async Task<GatewayWorld> StartAsync(string configToml = "")
    {
        var env = new JupyterEnvironment();
        try
        {
            Directory.CreateDirectory(env.Dir.File("notebooks"));
            var service = await ServiceProcess.StartAsync(configToml: configToml, dir: env.Dir, environment: env.Variables);
            var tokenFile = Path.Combine(env.LlmSpellRuntimeDir, $"token-{service.Port}");
            if (!File.Exists(tokenFile))
            {
                await service.DisposeAsync();
                Assert.Fail($"the service wrote no token file at {tokenFile}\n{service.Describe()}");
            }
            return new GatewayWorld(env, service, (await File.ReadAllTextAsync(tokenFile)).Trim());
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }

    /// <param name="rootDir">Where it serves notebooks from: <see cref="NotebookDir"/> unless given.</param>
    public async Task<JupyterFrontend> StartFrontendAsync(JupyterFrontend.Kind kind, string? rootDir = null)
    {
        var frontend = await JupyterFrontend.StartAsync(kind, Env, Service.BaseUrl, Token, rootDir ?? NotebookDir);
        _frontends.Add(frontend);
        return frontend;
    }

    /// <summary>Everything needed to understand a failure: the service's output and every front end's log.</summary>
    public string Describe() => Service.Describe() + string.Concat(_frontends.Select(f => "\n" + f.Describe()));

    /// <summary>GET /api/kernels on llmspell itself: the kernels the gateway really runs.</summary>
    public async Task<JsonElement[]> LlmSpellKernelsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Service.BaseUrl, "/api/kernels"));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", Token);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) Assert.Fail($"llmspell GET /api/kernels answered {(int)response.StatusCode}: {body}\n{Describe()}");
        return Check.Json(body, body).EnumerateArray().ToArray();
    }

    public async Task<string[]> LlmSpellKernelIdsAsync() => (await LlmSpellKernelsAsync()).Select(k => k.GetProperty("id").GetString()!).ToArray();

    /// <summary>
    /// Waits until llmspell has finished <paramref name="count"/> websocket requests (its request log line comes once a
    /// connection's handler has returned), then fails if it logged any error: closing a websocket must not fail.
    /// </summary>
    public async Task AssertChannelsClosedCleanlyAsync(int count)
    {
        string Log() => Service.Stderr + Service.Stdout;
        await Wait.UntilAsync(() => ChannelsDone().Matches(Log()).Count >= count, TimeSpan.FromSeconds(30),
            $"llmspell to finish {count} websocket request(s) (\"GET /api/kernels/.../channels responded\")", Describe);
        Check.DoesNotContain("[EROR]", Log(), Describe());
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"GET /api/kernels/[0-9a-f-]+/channels responded")]
    private static partial System.Text.RegularExpressions.Regex ChannelsDone();

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Gateway", name);

    /// <summary>Runs a Python driver of this folder and returns the JSON object it prints last; fails with its output (and the logs) otherwise.</summary>
    public async Task<JsonElement> RunDriverAsync(string script, TimeSpan timeout, params string[] args)
    {
        var result = await Env.RunPythonAsync([Script(script), .. args], timeout);
        if (result.ExitCode == 3) Assert.Fail($"A Python package is missing (see the message for the Debian package to install).\n{result}");
        if (result.ExitCode != 0) Assert.Fail($"{script} failed (exit code {result.ExitCode})\n{result}\n{Describe()}");
        var last = result.Stdout.Trim().Split('\n').Last();
        return Check.Json(last, result);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var frontend in _frontends) await frontend.DisposeAsync();
        await Service.DisposeAsync();
        Env.Dispose();
    }
}
