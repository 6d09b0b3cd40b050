using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Security;

/// <summary>
/// `llmspell kernel start --port 0` in its own temp directory with its own XDG_RUNTIME_DIR (so its token file is
/// private to the test), plain or TLS. The CLI runs with the same environment, so it finds the token as a user would.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SecuredService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private SecuredService(Process process, TempDir dir, IReadOnlyDictionary<string, string?> environment)
    {
        _process = process;
        Dir = dir;
        Environment = environment;
    }

    public TempDir Dir { get; }
    public IReadOnlyDictionary<string, string?> Environment { get; }
    public Uri BaseUrl { get; private set; } = null!;
    public string ConnectionFile => Dir.File("kernel.json");
    public string ConfigFile => Dir.File("kernel.toml");
    /// <summary>Where the service puts its token file: this test's own LLMSPELL_RUNTIME_DIR.</summary>
    public string RuntimeDirectory => Dir.File("run");

    public string TokenFile => Path.Combine(RuntimeDirectory, $"token-{BaseUrl.Port}");
    public string Output { get { lock (_gate) return _output.ToString(); } }
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

    public static async Task<SecuredService> StartAsync(string configToml = "", TempDir? dir = null)
    {
        dir ??= new TempDir();
        File.WriteAllText(dir.File("kernel.toml"), configToml);
        var environment = EnvironmentFor(dir);
        var info = new ProcessStartInfo(LlmSpellBinary.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir.Path,
        };
        foreach (var arg in new[] { "kernel", "start", "--port", "0", "--connection-file", dir.File("kernel.json"), "--config", dir.File("kernel.toml") })
            info.ArgumentList.Add(arg);
        ProcessRunner.ApplyEnvironment(info, environment);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new SecuredService(process, dir, environment);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await service.WaitUntilServingAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _output.AppendLine(line);
    }

    [GeneratedRegex(@"serving (https?://[0-9.\[\]:a-fA-F]+:\d+)")]
    private static partial Regex ServingLine();

    private async Task WaitUntilServingAsync()
    {
        var elapsed = Stopwatch.StartNew();
        while (BaseUrl is null)
        {
            if (ServingLine().Match(Output) is { Success: true } match) BaseUrl = new Uri(match.Groups[1].Value);
            else await PollDelay(elapsed, "the \"serving ...\" log line");
        }
        while (!File.Exists(TokenFile)) await PollDelay(elapsed, $"the token file {TokenFile}");
        while (!await IsHealthyAsync()) await PollDelay(elapsed, "/health to answer 200");
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

    private async Task PollDelay(Stopwatch elapsed, string what)
    {
        if (_process.HasExited)
        {
            await _process.WaitForExitAsync();
            Assert.Fail($"The service exited with code {_process.ExitCode} while waiting for {what}.\n{Output}");
        }
        if (elapsed.Elapsed > StartTimeout) Assert.Fail($"Timed out waiting for {what}.\n{Output}");
        await Task.Delay(25);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the log after the deadline.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > (timeout ?? TimeSpan.FromSeconds(20))) Assert.Fail($"Timed out waiting for {what}.\n{Output}");
            await Task.Delay(50);
        }
    }

    public string Token => File.ReadAllText(TokenFile).Trim();

    public Task<ProcessResult> CliAsync(params string[] args) => Cli.RunAsync(args, environment: Environment, workingDirectory: Dir.Path);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        Http.Dispose();
        Dir.Dispose();
    }
}
