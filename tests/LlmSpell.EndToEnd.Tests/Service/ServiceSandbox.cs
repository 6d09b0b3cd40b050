using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Service;

/// <summary>A daemon started by <c>llmspell kernel start --daemon</c>, as the launcher and the registry describe it.</summary>
public sealed record Daemon(int Pid, string Id, int Port, string PidFile, string LogFile, string ConnectionFile, string ConfigFile,
    string RegistryFile, string TokenFile, ProcessResult Launch)
{
    public Uri BaseUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");
}

/// <summary>
/// One test's world: a temp directory holding its own runtime directory (LLMSPELL_RUNTIME_DIR, so registry, token
/// and default PID files never meet other tests'), the CLI run with that environment, and every daemon pid it
/// started, which disposal stops (SIGTERM, then SIGKILL after a bounded wait).
/// </summary>
public sealed partial class ServiceSandbox : IAsyncDisposable
{
    public static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly List<int> _pids = [];

    public ServiceSandbox()
    {
        Dir = new TempDir();
        RuntimeDir = Dir.File("run");
        Environment = new Dictionary<string, string?> { ["LLMSPELL_RUNTIME_DIR"] = RuntimeDir };
    }

    public TempDir Dir { get; }

    public string RuntimeDir { get; }

    public string ServicesDir => Path.Combine(RuntimeDir, "services");

    public Dictionary<string, string?> Environment { get; }

    public Task<ProcessResult> CliAsync(params string[] args) =>
        Cli.RunAsync(args, CliTimeout, Dir.Path, Environment);

    public Task<ProcessResult> CliAsync(IReadOnlyDictionary<string, string?> extraEnvironment, params string[] args)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in extraEnvironment) environment[key] = value;
        return Cli.RunAsync(args, CliTimeout, Dir.Path, environment);
    }

    /// <summary>The launcher's arguments for a daemon whose files are DIR/NAME.{pid,log,json,toml}.</summary>
    public string[] DaemonArgs(string name, string? pidFile = null, string port = "0") =>
    [
        "kernel", "start", "--daemon", "--port", port,
        "--pid-file", pidFile ?? Dir.File(name + ".pid"),
        "--log-file", Dir.File(name + ".log"),
        "--connection-file", Dir.File(name + ".json"),
        "--config", Dir.File(name + ".toml"),
    ];

    [GeneratedRegex(@"started in the background \(pid (\d+)\)")]
    private static partial Regex StartedLine();

    /// <summary>Runs the launcher (which must exit 0) and returns the daemon it announced, found in the registry.</summary>
    public async Task<Daemon> StartDaemonAsync(string name = "kernel", string configToml = "", string[]? extraArgs = null)
    {
        File.WriteAllText(Dir.File(name + ".toml"), configToml);
        var launch = await CliAsync([.. DaemonArgs(name), .. extraArgs ?? []]);
        var match = StartedLine().Match(launch.Stdout);
        if (match.Success) Track(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        Check.ExitCode(0, launch);
        if (!match.Success) Assert.Fail($"the launcher did not announce \"started in the background (pid N)\"\n{launch}");
        var pid = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

        if (FindRecord(pid) is not var (registryFile, record))
        {
            Assert.Fail($"no registry record in {ServicesDir} for pid {pid} once the launcher returned\n{launch}\n{ListDir(ServicesDir)}");
            throw new InvalidOperationException();
        }
        var port = record.GetProperty("port").GetInt32();
        return new Daemon(pid, record.GetProperty("id").GetString()!, port, Dir.File(name + ".pid"), Dir.File(name + ".log"),
            Dir.File(name + ".json"), Dir.File(name + ".toml"), registryFile,
            Path.Combine(RuntimeDir, "token-" + port.ToString(CultureInfo.InvariantCulture)), launch);
    }

    /// <summary>The registry record naming this pid, if any.</summary>
    public (string File, JsonElement Record)? FindRecord(int pid)
    {
        if (!Directory.Exists(ServicesDir)) return null;
        foreach (var file in Directory.GetFiles(ServicesDir, "*.json"))
        {
            JsonElement record;
            try { record = Check.Json(ReadShared(file), file); }
            catch (IOException) { continue; }
            if (record.TryGetProperty("pid", out var p) && p.GetInt32() == pid) return (file, record);
        }
        return null;
    }

    public void Track(int pid)
    {
        lock (_pids) if (!_pids.Contains(pid)) _pids.Add(pid);
    }

    public async Task<HttpResponseMessage> GetAsync(Daemon daemon, string path) => await Http.GetAsync(new Uri(daemon.BaseUrl, path));

    public static async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await Http.SendAsync(request);

    public async ValueTask DisposeAsync()
    {
        List<int> pids;
        lock (_pids) pids = [.. _pids];
        foreach (var pid in pids) Processes.TrySignal(pid, Processes.SIGTERM);
        foreach (var pid in pids)
        {
            if (await Processes.WaitForExitAsync(pid, TimeSpan.FromSeconds(10))) continue;
            Processes.TrySignal(pid, Processes.SIGKILL);
            await Processes.WaitForExitAsync(pid, TimeSpan.FromSeconds(10));
        }
        Dir.Dispose();
    }

    /// <summary>Reads a file another process may be writing (or holding a flock on): no .NET lock is taken.</summary>
    public static string ReadShared(string path)
    {
        var fd = Libc.open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[65536];
            while (true)
            {
                var read = Libc.read(fd, chunk, chunk.Length);
                if (read <= 0) break;
                buffer.Write(chunk, 0, (int)read);
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public static string ReadSharedOrEmpty(string path) => File.Exists(path) ? ReadShared(path) : "";

    public static string ListDir(string path) =>
        Directory.Exists(path) ? $"{path}: " + string.Join(", ", Directory.GetFileSystemEntries(path).Select(Path.GetFileName)) : $"{path}: (missing)";

    /// <summary>Waits until <paramref name="path"/> contains <paramref name="text"/>.</summary>
    public static Task UntilFileContainsAsync(string path, string text, TimeSpan? timeout = null) =>
        Wait.UntilAsync(() => ReadSharedOrEmpty(path).Contains(text, StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(20),
            $"{path} to contain \"{text}\"", () => $"--- {path} ---\n{ReadSharedOrEmpty(path)}");

    public static async Task<bool> IsHealthyAsync(Daemon daemon)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(daemon.BaseUrl, "/health"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }
}

/// <summary>The libc calls behind <see cref="ServiceSandbox.ReadShared"/>.</summary>
internal static class Libc
{
    [DllImport("libc", SetLastError = true)]
    internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    internal static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    internal static extern int close(int fd);
}
