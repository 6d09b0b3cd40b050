using System.Diagnostics;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Jupyter;

/// <summary>`llmspell kernel run -f CONNECTION_FILE`, the command a kernelspec launches, with a connection file Jupyter wrote.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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
        Assert.True(await JupyterEnvironment.PollAsync(() => Ports.IsListening(port) || !JupyterEnvironment.IsAlive(pid), TimeSpan.FromSeconds(30)),
            $"{what} did not bind its shell port {port} within 30 s");
        Assert.True(JupyterEnvironment.IsAlive(pid), $"{what} (pid {pid}) exited before binding its shell port");
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
            Assert.True(await JupyterEnvironment.PollAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(15)),
                "the sh parent wrote no pid file");
            kernelPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await WaitListeningAsync(shellPort, kernelPid, "llmspell kernel run");

            // The kernel answers before its parent goes.
            var ready = await env.RunScriptAsync("exec", connectionFile, "1 + 1");
            Assert.Equal("2", ready.GetProperty("result").GetString());

            JupyterEnvironment.Signal(parent.Id, JupyterEnvironment.SIGKILL);
            await parent.WaitForExitAsync();
            var gone = await JupyterEnvironment.WaitGoneAsync(kernelPid, TimeSpan.FromSeconds(3));
            Assert.True(gone is not null, $"llmspell kernel run (pid {kernelPid}) was still running 3 s after its parent (pid {parent.Id}) was killed");
            Assert.False(Ports.IsListening(shellPort), $"shell port {shellPort} is still open after the kernel stopped");
        }
        finally
        {
            if (!parent.HasExited) JupyterEnvironment.Signal(parent.Id, JupyterEnvironment.SIGKILL);
            if (kernelPid > 0 && JupyterEnvironment.IsAlive(kernelPid)) JupyterEnvironment.Signal(kernelPid, JupyterEnvironment.SIGKILL);
        }
    }

    [Fact]
    public async Task KernelRun_ExitsZero_OnShutdownRequestFromJupyterClient()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (connectionFile, shellPort) = await WriteConnectionFileAsync(env);

        using var kernel = Process.Start(StartInfo(env, LlmSpellBinary.Executable, "kernel", "run", "--connection-file", connectionFile))!;
        kernel.StandardInput.Close();
        var stdout = kernel.StandardOutput.ReadToEndAsync();
        var stderr = kernel.StandardError.ReadToEndAsync();
        try
        {
            await WaitListeningAsync(shellPort, kernel.Id, "llmspell kernel run");
            var run = await env.RunScriptAsync("shutdown", connectionFile);
            Assert.Equal("2", run.GetProperty("execute").GetString());
            var reply = run.GetProperty("shutdown_reply");
            Assert.Equal("ok", reply.GetProperty("status").GetString());
            Assert.False(reply.GetProperty("restart").GetBoolean());

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await kernel.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { Assert.Fail($"llmspell kernel run (pid {kernel.Id}) did not exit within 10 s of shutdown_request"); }
            await kernel.WaitForExitAsync();
            Assert.True(kernel.ExitCode == 0, $"exit code {kernel.ExitCode}\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
            Check.NoStackTrace(await stderr, await stderr);
        }
        finally
        {
            if (!kernel.HasExited) kernel.Kill();
        }
    }

    [Fact]
    public async Task KernelRun_ExitsZero_OnSigterm()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (connectionFile, shellPort) = await WriteConnectionFileAsync(env);

        using var kernel = Process.Start(StartInfo(env, LlmSpellBinary.Executable, "kernel", "run", "--connection-file", connectionFile))!;
        kernel.StandardInput.Close();
        var stdout = kernel.StandardOutput.ReadToEndAsync();
        var stderr = kernel.StandardError.ReadToEndAsync();
        try
        {
            await WaitListeningAsync(shellPort, kernel.Id, "llmspell kernel run");
            // Fully up (a round trip through jupyter_client) before the signal: its handlers are installed after the bind.
            var ready = await env.RunScriptAsync("exec", connectionFile, "1 + 1");
            Assert.Equal("2", ready.GetProperty("result").GetString());
            JupyterEnvironment.Signal(kernel.Id, JupyterEnvironment.SIGTERM);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await kernel.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { Assert.Fail($"llmspell kernel run (pid {kernel.Id}) did not exit within 10 s of SIGTERM"); }
            await kernel.WaitForExitAsync();
            Assert.True(kernel.ExitCode == 0, $"exit code {kernel.ExitCode}\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
            Assert.False(Ports.IsListening(shellPort), $"shell port {shellPort} is still open after the kernel stopped");
        }
        finally
        {
            if (!kernel.HasExited) kernel.Kill();
        }
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
