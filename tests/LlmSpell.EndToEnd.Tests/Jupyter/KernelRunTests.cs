using System.Diagnostics;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Jupyter;

/// <summary>`llmspell kernel run -f CONNECTION_FILE`, the command a kernelspec launches, with a connection file Jupyter wrote.</summary>
public sealed class KernelRunTests
{
    /// <summary>A connection file written by jupyter_client (free ports, a random key), as Jupyter does before a launch.</summary>
    private static async Task<(string Path, int ShellPort)> WriteConnectionFileAsync(JupyterEnvironment env)
    {
        var written = await env.RunScriptAsync("write-connection-file", Path.Combine(env.RuntimeDir, "kernel-e2e.json"));
        return (written.GetProperty("connection_file").GetString()!, written.GetProperty("shell_port").GetInt32());
    }

    private static ProcessStartInfo StartInfo(JupyterEnvironment env, string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = env.Dir.Path,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        ProcessRunner.ApplyEnvironment(info, env.Variables);
        return info;
    }

    private static async Task WaitListeningAsync(int port, int pid, string what)
    {
        await Wait.UntilAsync(() => Ports.IsListening(port) || !Processes.IsRunning(pid), TimeSpan.FromSeconds(30), $"{what} to bind its shell port {port}");
        Assert.True(Processes.IsRunning(pid), $"{what} (pid {pid}) exited before binding its shell port");
    }

    /// <summary>`llmspell kernel run --connection-file FILE` as a child, its output captured; disposal kills it if it still runs.</summary>
    private sealed class KernelRun : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        private KernelRun(Process process)
        {
            _process = process;
            _process.StandardInput.Close();
            _stdout = _process.StandardOutput.ReadToEndAsync();
            _stderr = _process.StandardError.ReadToEndAsync();
        }

        public static async Task<KernelRun> StartAsync(JupyterEnvironment env, string connectionFile, int shellPort)
        {
            var kernel = new KernelRun(Process.Start(StartInfo(env, LlmSpellBinary.Executable, "kernel", "run", "--connection-file", connectionFile))!);
            try
            {
                await WaitListeningAsync(shellPort, kernel.Pid, "llmspell kernel run");
            }
            catch
            {
                kernel.Dispose();
                throw;
            }
            return kernel;
        }

        public int Pid => _process.Id;

        public Task<string> Stderr => _stderr;

        /// <summary>Fails unless the kernel exits 0 within 10 s of <paramref name="cause"/>.</summary>
        public async Task AssertExitsZeroAsync(string cause)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { Assert.Fail($"llmspell kernel run (pid {Pid}) did not exit within 10 s of {cause}"); }
            await _process.WaitForExitAsync();
            Assert.True(_process.ExitCode == 0, $"exit code {_process.ExitCode}\n--- stdout ---\n{await _stdout}\n--- stderr ---\n{await _stderr}");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.Dispose();
        }
    }

    [Fact]
    public async Task KernelRun_StopsWhenItsParentDies()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (connectionFile, shellPort) = await WriteConnectionFileAsync(env);
        var pidFile = env.Dir.File("kernel.pid");

        // A tiny intermediate parent, as a Jupyter launcher would be: it starts the kernel and waits for it.
        var script = "\"$0\" kernel run --connection-file \"$1\" >/dev/null 2>&1 & echo $! > \"$2\"; wait";
        using var parent = Process.Start(StartInfo(env, "/bin/sh", "-c", script, LlmSpellBinary.Executable, connectionFile, pidFile))!;
        var kernelPid = 0;
        try
        {
            await Wait.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(15),
                "the sh parent to write the kernel's pid file");
            kernelPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await WaitListeningAsync(shellPort, kernelPid, "llmspell kernel run");

            // The kernel answers before its parent goes.
            var ready = await env.RunScriptAsync("exec", connectionFile, "1 + 1");
            Assert.Equal("2", ready.GetProperty("result").GetString());

            Processes.Signal(parent.Id, Processes.SIGKILL);
            await parent.WaitForExitAsync();
            Assert.True(await Processes.WaitForExitAsync(kernelPid, TimeSpan.FromSeconds(3)), $"llmspell kernel run (pid {kernelPid}) was still running 3 s after its parent (pid {parent.Id}) was killed");
            Assert.False(Ports.IsListening(shellPort), $"shell port {shellPort} is still open after the kernel stopped");
        }
        finally
        {
            if (!parent.HasExited) Processes.TrySignal(parent.Id, Processes.SIGKILL);
            if (kernelPid > 0) Processes.TrySignal(kernelPid, Processes.SIGKILL);
        }
    }

    [Fact]
    public async Task KernelRun_ExitsZero_OnShutdownRequestFromJupyterClient()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (connectionFile, shellPort) = await WriteConnectionFileAsync(env);

        using var kernel = await KernelRun.StartAsync(env, connectionFile, shellPort);
        var run = await env.RunScriptAsync("shutdown", connectionFile);
        Assert.Equal("2", run.GetProperty("execute").GetString());
        var reply = run.GetProperty("shutdown_reply");
        Assert.Equal("ok", reply.GetProperty("status").GetString());
        Assert.False(reply.GetProperty("restart").GetBoolean());

        await kernel.AssertExitsZeroAsync("shutdown_request");
        Check.NoStackTrace(await kernel.Stderr, await kernel.Stderr);
    }

    [Fact]
    public async Task KernelRun_ExitsZero_OnSigterm()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (connectionFile, shellPort) = await WriteConnectionFileAsync(env);

        using var kernel = await KernelRun.StartAsync(env, connectionFile, shellPort);
        // Fully up (a round trip through jupyter_client) before the signal: its handlers are installed after the bind.
        var ready = await env.RunScriptAsync("exec", connectionFile, "1 + 1");
        Assert.Equal("2", ready.GetProperty("result").GetString());
        Processes.Signal(kernel.Pid, Processes.SIGTERM);
        await kernel.AssertExitsZeroAsync("SIGTERM");
        Assert.False(Ports.IsListening(shellPort), $"shell port {shellPort} is still open after the kernel stopped");
    }

    [Fact]
    public async Task KernelRun_WithAMissingConnectionFile_ExitsTwoNamingTheFile()
    {
        using var env = new JupyterEnvironment();
        var missing = Path.Combine(env.RuntimeDir, "no-such-kernel.json");
        var result = await Cli.RunAsync(["kernel", "run", "--connection-file", missing], timeout: TimeSpan.FromSeconds(30), environment: env.Variables);
        Check.ExitCode(2, result);
        Check.Contains(missing, result.Stderr, result);
        Check.NoStackTrace(result.Output, result);
    }
}
