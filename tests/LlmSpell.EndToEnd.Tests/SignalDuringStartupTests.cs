using System.Diagnostics;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class SignalDuringStartupTests
{
    /// <summary>
    /// SIGTERM while the host is still starting (kernel up, HTTP not yet listening) must abandon the start cleanly:
    /// exit 0, no stack trace, no files left. Sent as soon as the kernel reports ready, which lands inside the start
    /// on most runs; the assertions hold whenever it lands.
    /// </summary>
    [Fact]
    public async Task Sigterm_while_starting_exits_0_without_a_trace_or_leftover_files()
    {
        using var dir = new TempDir();
        var info = new ProcessStartInfo(LlmSpellBinary.Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "kernel", "start", "--port", "0", "--connection-file", dir.File("kernel.json") }) info.ArgumentList.Add(arg);
        info.Environment["LLMSPELL_RUNTIME_DIR"] = dir.File("run");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            // The kernel's own ready line; the HTTP listener starts after it.
            while (await process.StandardError.ReadLineAsync(waiting.Token) is { } line)
            {
                stderr.AppendLine(line);
                if (line.Contains("JupyterKernel: Kernel", StringComparison.Ordinal) && line.Contains(" ready: ", StringComparison.Ordinal)) break;
            }
        }
        Processes.TrySignal(process.Id, Processes.SIGTERM);
        stderr.Append(await process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await stdout;

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{stderr}");
        Check.NoStackTrace(stderr.ToString(), stderr.ToString());
        Assert.False(File.Exists(dir.File("kernel.json")), "connection file left behind");
        Assert.Empty(Directory.Exists(dir.File("run")) ? Directory.GetFiles(dir.File("run"), "*", SearchOption.AllDirectories) : []);
    }
}
