using System.Diagnostics;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>Runs one scenario of ws_client.py (python3-websocket) against a service's kernel websocket.</summary>
internal sealed class WebSocketClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly System.Threading.Channels.Channel<string> _stderrLines = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];

    private WebSocketClient(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr) _stderr.Add(line);
                _stderrLines.Writer.TryWrite(line);
            }
            _stderrLines.Writer.TryComplete();
        });
    }

    public static WebSocketClient Start(string scenario, Uri serviceUrl, string kernelId, string token)
    {
        JupyterEnvironment.RequirePython("websocket", "python3-websocket");
        var ws = (serviceUrl.Scheme == "https" ? "wss://" : "ws://") + serviceUrl.Authority;
        var info = new ProcessStartInfo(JupyterEnvironment.Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Gateway", "ws_client.py"), scenario, ws, kernelId, token })
            info.ArgumentList.Add(arg);
        return new WebSocketClient(Process.Start(info)!);
    }

    public static async Task<JsonElement> RunAsync(string scenario, Uri serviceUrl, string kernelId, string token, TimeSpan? timeout = null)
    {
        await using var client = Start(scenario, serviceUrl, kernelId, token);
        return await client.ResultAsync(timeout ?? TimeSpan.FromSeconds(120));
    }

    /// <summary>Waits for the driver to write <paramref name="line"/> on stderr (its cue that it is ready for the next step).</summary>
    public async Task WaitForLineAsync(string line, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var l in _stderrLines.Reader.ReadAllAsync(cts.Token))
                if (l == line) return;
        }
        catch (OperationCanceledException) { }
        Assert.Fail($"ws_client.py did not print '{line}' within {timeout.TotalSeconds} s\n{Stderr}");
    }

    public void Continue() => _process.StandardInput.WriteLine();

    private string Stderr { get { lock (_stderr) return string.Join('\n', _stderr); } }

    public async Task<JsonElement> ResultAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"ws_client.py did not finish within {timeout.TotalSeconds} s\n{Stderr}");
        }
        var stdout = await _stdout;
        Assert.True(_process.ExitCode == 0, $"ws_client.py failed ({_process.ExitCode})\n{stdout}\n{Stderr}");
        return Check.Json(stdout, Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
