using System.Diagnostics;
using System.Text;

namespace LlmSpell.EndToEnd.Tests.Support;

public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public string Output => Stdout + Stderr;

    /// <summary>Everything needed to understand a failed assertion.</summary>
    public override string ToString() =>
        $"$ {Command}\nexit code {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs a program to completion with captured output and a timeout (the process tree is killed on timeout).</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        ApplyEnvironment(info, environment);
        var command = fileName + " " + string.Join(' ', info.ArgumentList.Select(Quote));

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            Assert.Fail($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:F0} s:\n" +
                new ProcessResult(command, -1, await stdout, await stderr, watch.Elapsed));
        }
        return new ProcessResult(command, process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    /// <summary>The child gets this process's environment minus any LLMSPELL_* variables, plus the given ones.</summary>
    public static void ApplyEnvironment(ProcessStartInfo info, IReadOnlyDictionary<string, string?>? environment)
    {
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("LLMSPELL_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["NO_COLOR"] = "1";
        if (environment is null) return;
        foreach (var (key, value) in environment) info.Environment[key] = value;
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}

/// <summary>The llmspell CLI as a user runs it.</summary>
public static class Cli
{
    public static Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, timeout: null);

    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        ProcessRunner.RunAsync(LlmSpellBinary.Executable, args, null, timeout, workingDirectory, environment);
}

/// <summary>A real tool from a Debian package; a missing tool fails the test with the package to install.</summary>
public static class RequiredTool
{
    public static string Find(string tool, string aptPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"`{tool}` is not installed; install it with `sudo apt-get install -y {aptPackage}` (or run ./scripts/test.sh, which installs every test dependency).");
        return null!;
    }
}

/// <summary>Runs the real curl binary.</summary>
public static class Curl
{
    public static Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(RequiredTool.Find("curl", "curl"), ["-sS", "--max-time", "20", .. args], timeout: TimeSpan.FromSeconds(30));
}
