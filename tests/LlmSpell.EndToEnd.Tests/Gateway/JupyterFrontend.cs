using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>
/// Jupyter Server 1.x or classic Notebook 6 (Debian's, run by /usr/bin/python3) in gateway mode: it manages no kernels
/// itself and sends every kernel request to llmspell. Started on a loopback port with a random token in a private
/// <see cref="JupyterEnvironment"/>; <see cref="StartAsync"/> returns once its GET /api answers 200 with the token.
/// Disposal stops the process this object started (SIGTERM to its pid, then Process.Kill).
/// </summary>
public sealed class JupyterFrontend : IAsyncDisposable
{
    public enum Kind
    {
        /// <summary>`python3 -m jupyter_server` (Debian jupyter-server, python3-jupyter-server).</summary>
        JupyterServer,

        /// <summary>`python3 -m notebook` (Debian jupyter-notebook, python3-notebook): the classic Notebook 6 UI.</summary>
        ClassicNotebook,
    }

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly string _runtimeFile;

    private JupyterFrontend(Process process, Kind kind, string token, string command, string runtimeFile)
    {
        _process = process;
        FrontendKind = kind;
        Token = token;
        Command = command;
        _runtimeFile = runtimeFile;
    }

    public Kind FrontendKind { get; }

    public string Token { get; }

    public string Command { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Its stdout and stderr interleaved as they came (Jupyter logs to stderr).</summary>
    public string Log { get { lock (_gate) return _output.ToString(); } }

    /// <summary>Fails (never skips) when a Debian package the front end needs is missing, naming it.</summary>
    public static void Require(Kind kind)
    {
        if (kind == Kind.JupyterServer) JupyterEnvironment.RequirePython("jupyter_server", "jupyter-server python3-jupyter-server");
        else JupyterEnvironment.RequirePython("notebook.notebookapp", "jupyter-notebook python3-notebook");
        // Both gateway clients open their websocket to the gateway with websocket-client (Jupyter Server) or tornado.
        JupyterEnvironment.RequirePython("websocket", "python3-websocket");
    }

    /// <param name="rootDir">The directory it serves notebooks from (a session sends it to the gateway as KERNEL_WORKING_DIR).</param>
    public static async Task<JupyterFrontend> StartAsync(Kind kind, JupyterEnvironment env, Uri gatewayUrl, string gatewayToken, string rootDir)
    {
        Require(kind);
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var app = kind == Kind.JupyterServer ? "ServerApp" : "NotebookApp";
        var runtimeDir = Path.Combine(env.RuntimeDir, kind == Kind.JupyterServer ? "jupyter-server" : "notebook");
        Directory.CreateDirectory(runtimeDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] args =
        [
            "-m", kind == Kind.JupyterServer ? "jupyter_server" : "notebook",
            "--no-browser",
            "--allow-root", // CI runs as root; harmless otherwise
            $"--{app}.ip=127.0.0.1",
            // A free port a moment ago; if another test takes it first, the app tries the next ones and the runtime file says which.
            $"--{app}.port={Ports.FreePort()}",
            $"--{app}.token={token}",
            (kind == Kind.JupyterServer ? "--ServerApp.root_dir=" : "--NotebookApp.notebook_dir=") + rootDir,
            $"--{app}.open_browser=False",
            "--gateway-url=" + gatewayUrl.GetLeftPart(UriPartial.Authority),
            "--GatewayClient.auth_token=" + gatewayToken,
            // The whole request timeout of a kernel start, so a hung gateway fails the test instead of waiting 40 s.
            "--GatewayClient.request_timeout=30",
            "--debug",
        ];
        var info = JupyterEnvironment.PythonStartInfo(args, env.Variables);
        info.WorkingDirectory = rootDir;
        info.Environment["JUPYTER_RUNTIME_DIR"] = runtimeDir;
        var command = JupyterEnvironment.Python + " " + string.Join(' ', args.Select(a => a.StartsWith("--GatewayClient.auth_token=", StringComparison.Ordinal) ? "--GatewayClient.auth_token=***" : a));

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Start();
        var frontend = new JupyterFrontend(process, kind, token, command,
            Path.Combine(runtimeDir, (kind == Kind.JupyterServer ? "jpserver-" : "nbserver-") + process.Id + ".json"));
        process.OutputDataReceived += (_, e) => frontend.Append(e.Data);
        process.ErrorDataReceived += (_, e) => frontend.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await frontend.WaitUntilReadyAsync();
        }
        catch
        {
            await frontend.DisposeAsync();
            throw;
        }
        return frontend;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _output.AppendLine(line);
    }

    /// <summary>Waits for the runtime file the app writes once it listens (it names the port), then for GET /api to answer 200.</summary>
    private Task WaitUntilReadyAsync() =>
        Wait.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                Assert.Fail($"{FrontendKind} exited with code {_process.ExitCode} before it answered GET /api.\n{Describe()}");
            }
            if (BaseUrl is null)
            {
                if (!File.Exists(_runtimeFile)) return false;
                try
                {
                    using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(_runtimeFile));
                    BaseUrl = new Uri($"http://127.0.0.1:{doc.RootElement.GetProperty("port").GetInt32()}/");
                }
                catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException)
                {
                    return false; // still being written
                }
            }
            try
            {
                var (status, _) = await RequestAsync(HttpMethod.Get, "/api");
                return status == HttpStatusCode.OK;
            }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, StartTimeout, $"{FrontendKind} to write {_runtimeFile} and answer GET /api with its token", Describe);

    public string Describe() => $"$ {Command}\n--- {FrontendKind} log ---\n{Log}";

    /// <summary>One request to the front end's REST API with its token; the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> RequestAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", Token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The JSON of a request that must answer <paramref name="expected"/>; fails with the front end's log otherwise.</summary>
    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        var (status, body) = await RequestAsync(method, path, json);
        if (status != expected) Assert.Fail($"{FrontendKind} {method} {path} answered {(int)status} (expected {(int)expected}): {body}\n{Describe()}");
        return Check.Json(body, $"{method} {path}: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM lets it shut its kernels down through the gateway (DELETE /api/kernels/{id}) and remove its runtime file.
                Processes.TrySignal(_process.Id, Processes.SIGTERM);
                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await _process.WaitForExitAsync(graceful.Token); }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
                }
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
