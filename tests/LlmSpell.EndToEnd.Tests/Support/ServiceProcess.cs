using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmSpell.EndToEnd.Tests.Support;

/// <summary>
/// `llmspell kernel start` as a child process in its own temp directory, on OS-assigned loopback ports unless told
/// otherwise. Output is captured as it arrives; <see cref="StartAsync"/> returns once /health answers 200.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Trusts any certificate: TLS services are probed here, and trust itself is tested with curl and the CLI.</summary>
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    }) { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly bool _ownsDir;

    private ServiceProcess(Process process, TempDir dir, bool ownsDir, string command)
    {
        _process = process;
        Dir = dir;
        _ownsDir = ownsDir;
        Command = command;
    }

    public TempDir Dir { get; }

    public string Command { get; }

    public int Pid => _process.Id;

    public Uri BaseUrl { get; private set; } = null!;

    public int Port => BaseUrl.Port;

    public string ConnectionFile => Dir.File("kernel.json");

    public string ConfigFile => Dir.File("kernel.toml");

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }

    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the service with <c>--port 0 --connection-file DIR/kernel.json --config DIR/kernel.toml</c> (the config
    /// file holds <paramref name="configToml"/>, empty by default) plus <paramref name="extraArgs"/>, which may
    /// override --port.
    /// </summary>
    /// <param name="ownsDir">Delete <paramref name="dir"/> on disposal even though the caller made it.</param>
    /// <param name="launcher">A command that execs the service (e.g. <c>nohup</c>), so <see cref="Pid"/> is still the service's.</param>
    public static async Task<ServiceProcess> StartAsync(string[]? extraArgs = null, string configToml = "", TempDir? dir = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool ownsDir = false, string[]? launcher = null)
    {
        ownsDir |= dir is null;
        dir ??= new TempDir();
        extraArgs ??= [];
        File.WriteAllText(dir.File("kernel.toml"), configToml);
        var info = new ProcessStartInfo(launcher is { Length: > 0 } ? launcher[0] : LlmSpellBinary.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir.Path,
        };
        if (launcher is { Length: > 0 })
        {
            foreach (var arg in launcher[1..]) info.ArgumentList.Add(arg);
            info.ArgumentList.Add(LlmSpellBinary.Executable);
        }
        info.ArgumentList.Add("kernel");
        info.ArgumentList.Add("start");
        if (!extraArgs.Contains("--port"))
        {
            info.ArgumentList.Add("--port");
            info.ArgumentList.Add("0");
        }
        foreach (var (flag, value) in new[] { ("--connection-file", dir.File("kernel.json")), ("--config", dir.File("kernel.toml")) })
        {
            if (extraArgs.Contains(flag)) continue;
            info.ArgumentList.Add(flag);
            info.ArgumentList.Add(value);
        }
        foreach (var arg in extraArgs) info.ArgumentList.Add(arg);
        ProcessRunner.ApplyEnvironment(info, environment);
        var command = (launcher is { Length: > 0 } ? info.FileName + " " : "llmspell ") + string.Join(' ', info.ArgumentList);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, dir, ownsDir, command);
        process.OutputDataReceived += (_, e) => service.Append(service._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(service._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await service.WaitUntilHealthyAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null) return;
        lock (_gate) buffer.AppendLine(line);
    }

    /// <summary>The serving line as text ("serving http://...") or as [logging] format = "json" writes it (the "Url" property of "serving {Url}").</summary>
    [GeneratedRegex(@"serving (https?://[0-9.\[\]:a-fA-F]+:\d+)|serving \{Url\}[^\n]*""Url"":""(https?://[0-9.\[\]:a-fA-F]+:\d+)""")]
    private static partial Regex ServingLine();

    /// <summary>Waits for the "serving http://..." log line, then for GET /health to answer 200; fails early if the service exits.</summary>
    private Task WaitUntilHealthyAsync() =>
        Wait.UntilAsync(async () =>
        {
            if (BaseUrl is null)
            {
                await FailIfExitedAsync("the \"serving http://...\" log line");
                if (ServingLine().Match(Stderr + Stdout) is not { Success: true } match) return false;
                BaseUrl = new Uri(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
            }
            await FailIfExitedAsync($"GET {BaseUrl}health to answer 200");
            try
            {
                using var response = await Http.GetAsync(new Uri(BaseUrl, "/health"));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, StartTimeout, "the \"serving http://...\" log line and GET /health to answer 200", Describe);

    private async Task FailIfExitedAsync(string what)
    {
        if (!_process.HasExited) return;
        await _process.WaitForExitAsync(); // flushes the output events
        Assert.Fail($"The service exited with code {_process.ExitCode} while waiting for {what}.\n{Describe()}");
    }

    public string Describe() => $"$ {Command}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public async Task<string> GetStringAsync(string path) => await Http.GetStringAsync(new Uri(BaseUrl, path));

    public async Task<HttpResponseMessage> GetAsync(string path) => await Http.GetAsync(new Uri(BaseUrl, path));

    public void SendSignal(int signal) => Processes.Signal(Pid, signal);

    /// <summary>Waits for the service to exit on its own; fails the test (with the output) after the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The service did not exit within {timeout.TotalSeconds:F0} s.\n{Describe()}");
        }
        await _process.WaitForExitAsync(); // output events are complete after the parameterless wait
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM first so the service removes what it wrote outside the temp dir (token file, extra
                // kernels' connection files); SIGKILL only if it does not go within a few seconds.
                Processes.TrySignal(Pid, Processes.SIGTERM);
                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(8));
                try { await _process.WaitForExitAsync(graceful.Token); }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: false);
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
                }
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        if (_ownsDir) Dir.Dispose();
    }
}
