using System.Diagnostics;

namespace LlmSpell.Tools.Tests.State;

/// <summary>
/// A second process on the state file: python3's sqlite3 module running <c>body</c> with <c>db</c> (autocommit, its own
/// busy timeout), <c>sys</c> and <c>time</c> in scope. Lines on its stdout say where it is.
/// </summary>
internal sealed class SqliteProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private SqliteProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static SqliteProcess Start(TempDir temp, string databasePath, string body)
    {
        var script = temp.Write($"writer-{Guid.NewGuid():N}.py",
            "import sqlite3, sys, time\n" +
            "db = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)\n" +
            body + "\n");
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { script, databasePath },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new SqliteProcess(Process.Start(start)!);
    }

    public async Task WaitForLineAsync(string expected)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            if (line == expected) return;
        Assert.Fail($"python exited before printing '{expected}': {await _stderr}");
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task AssertExitedCleanlyAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"python exited with {_process.ExitCode}: {await _stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
