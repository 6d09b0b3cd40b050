using System.Diagnostics;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Jupyter;

/// <summary>`jupyter console` typed into a real terminal (tmux): --existing on the service's kernel, and --kernel llmspell via the kernelspec.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task JupyterConsoleExisting_RunsCellsOnTheServiceKernel()
    {
        var console = RequiredTool.Find("jupyter-console", "jupyter-console");
        var tmux = RequiredTool.Find("tmux", "tmux");
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (service, _, _) = await ServiceKernelTests.StartServiceAsync(env);
        await using var serviceScope = service;

        // Its own tmux server (-L socket) and session, so parallel tests and a user's tmux are never touched.
        var socket = "llmspell-e2e-" + Guid.NewGuid().ToString("N")[..10];
        var exitFile = env.Dir.File("console-exit");
        var environment = string.Join(' ', env.Variables.Select(kv => $"{kv.Key}={Quote(kv.Value!)}"));
        var shellCommand = $"env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV {environment} {Quote(console)} --existing {Quote(service.ConnectionFile)} " +
                           $"--simple-prompt --no-confirm-exit; echo $? > {Quote(exitFile)}";
        try
        {
            await Tmux(env, tmux, socket, "new-session", "-d", "-s", "console", "-x", "200", "-y", "50", shellCommand);
            await WaitForScreen(env, tmux, socket, screen => screen.Contains("In [", StringComparison.Ordinal), "the console prompt");

            await Type(env, tmux, socket, "answer = 6 * 7");
            await Type(env, tmux, socket, "print(answer)",
                s => s.Split('\n').Any(line => OutputLine().Match(line) is { Success: true } m && m.Groups[1].Value == "42"));
            var screen = await Type(env, tmux, socket, "answer + 1",
                s => s.Split('\n').Any(line => line.Contains("Out[", StringComparison.Ordinal) && line.TrimEnd().EndsWith(" 43", StringComparison.Ordinal)));
            Check.DoesNotContain("Error", screen, screen);

            // Ctrl-D leaves the console; with --existing it keeps the kernel alive.
            await Tmux(env, tmux, socket, "send-keys", "-t", "console", "C-d");
            await AssertConsoleExitsZeroAsync(env, tmux, socket, exitFile);
        }
        finally
        {
            // Ends the session, the console in it and this test's tmux server (exit code ignored: it may be gone already).
            await ProcessRunner.RunAsync(tmux, ["-L", socket, "kill-server"], timeout: TimeSpan.FromSeconds(15), environment: env.Variables);
        }

        // The cells ran in the service's default kernel: its state is visible to another client.
        var after = await env.RunScriptAsync("exec", service.ConnectionFile, "return answer");
        Assert.Equal("42", after.GetProperty("result").GetString());
        Assert.False(service.HasExited, service.Describe());
    }

    [Fact]
    public async Task JupyterConsoleKernelLlmspell_LaunchesTheKernelspec_AndTheKernelStopsWhenTheConsoleLeaves()
    {
        var console = RequiredTool.Find("jupyter-console", "jupyter-console");
        var tmux = RequiredTool.Find("tmux", "tmux");
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        await env.InstallKernelspecAsync();

        var socket = "llmspell-e2e-" + Guid.NewGuid().ToString("N")[..10];
        var exitFile = env.Dir.File("console-exit");
        var connectionFile = Path.Combine(env.RuntimeDir, "kernel-console-e2e.json");
        var environment = string.Join(' ', env.Variables.Select(kv => $"{kv.Key}={Quote(kv.Value!)}"));
        var shellCommand = $"env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV {environment} {Quote(console)} --kernel llmspell " +
                           $"-f {Quote(connectionFile)} --simple-prompt --no-confirm-exit; echo $? > {Quote(exitFile)}";
        int? kernelPid = null;
        try
        {
            await Tmux(env, tmux, socket, "new-session", "-d", "-s", "console", "-x", "200", "-y", "50", shellCommand);
            await WaitForScreen(env, tmux, socket, screen => screen.Contains("In [", StringComparison.Ordinal), "the console prompt");
            kernelPid = KernelProcess(connectionFile);
            Assert.True(kernelPid is not null, $"no `llmspell kernel run --connection-file {connectionFile}` process was found");

            var screen = await Type(env, tmux, socket, "print(6 * 7)",
                s => s.Split('\n').Any(line => OutputLine().Match(line) is { Success: true } m && m.Groups[1].Value == "42"));
            Check.Contains("llmspell", screen, screen); // the banner comes from the kernel's kernel_info_reply

            // Ctrl-D: the console owns this kernel, so it shuts it down on the way out.
            await Tmux(env, tmux, socket, "send-keys", "-t", "console", "C-d");
            await AssertConsoleExitsZeroAsync(env, tmux, socket, exitFile);
            Assert.True(await Processes.WaitForExitAsync(kernelPid.Value, TimeSpan.FromSeconds(10)),
                $"the kernel (pid {kernelPid}) outlived the console that launched it");
        }
        finally
        {
            await ProcessRunner.RunAsync(tmux, ["-L", socket, "kill-server"], timeout: TimeSpan.FromSeconds(15), environment: env.Variables);
            if (kernelPid is { } pid) Processes.TrySignal(pid, Processes.SIGKILL);
        }
    }

    /// <summary>The pid of the kernel process this test's console launched, identified by its unique connection file.</summary>
    private static int? KernelProcess(string connectionFile)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string[] argv;
            try { argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0'); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (argv.Length > 2 && argv[0] == LlmSpellBinary.Executable && argv.Contains("run") && argv.Contains(connectionFile)) return pid;
        }
        return null;
    }

    [GeneratedRegex(@"In \[\d+\]:")]
    private static partial Regex Prompt();

    /// <summary>A line of output, possibly printed right after the next prompt (the console shows late iopub output there).</summary>
    [GeneratedRegex(@"^\s*(?:In \[\d+\]:\s*)?(\S.*?)\s*$")]
    private static partial Regex OutputLine();

    /// <summary>Types one line and waits for the console's next prompt, so no input is typed ahead of execution.</summary>
    private static async Task<string> Type(JupyterEnvironment env, string tmux, string socket, string line, Func<string, bool>? shows = null)
    {
        var prompts = Prompt().Count(await Capture(env, tmux, socket));
        await Tmux(env, tmux, socket, "send-keys", "-t", "console", "-l", line);
        await Tmux(env, tmux, socket, "send-keys", "-t", "console", "Enter");
        return await WaitForScreen(env, tmux, socket, s => Prompt().Count(s) > prompts && (shows?.Invoke(s) ?? true),
            $"the output of `{line}` and the next prompt");
    }

    private static async Task<ProcessResult> Tmux(JupyterEnvironment env, string tmux, string socket, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(tmux, ["-L", socket, .. args], timeout: TimeSpan.FromSeconds(15), environment: env.Variables);
        Check.ExitCode(0, result);
        return result;
    }

    private static async Task<string> Capture(JupyterEnvironment env, string tmux, string socket)
    {
        var result = await ProcessRunner.RunAsync(tmux, ["-L", socket, "capture-pane", "-p", "-t", "console"], timeout: TimeSpan.FromSeconds(15),
            environment: env.Variables);
        return result.ExitCode == 0 ? result.Stdout : result.ToString();
    }

    private static async Task<string> WaitForScreen(JupyterEnvironment env, string tmux, string socket, Func<string, bool> condition, string what)
    {
        var screen = "";
        await Wait.UntilAsync(async () => condition(screen = await Capture(env, tmux, socket)), TimeSpan.FromSeconds(30),
            $"{what} in jupyter console", () => screen);
        return screen;
    }

    /// <summary>Waits for the console's shell wrapper to write its exit status, which must be 0.</summary>
    private static async Task AssertConsoleExitsZeroAsync(JupyterEnvironment env, string tmux, string socket, string exitFile)
    {
        if (!await Wait.ForAsync(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0, TimeSpan.FromSeconds(15)))
            Assert.Fail($"jupyter console did not exit after Ctrl-D\n{await Capture(env, tmux, socket)}");
        Assert.Equal("0", (await File.ReadAllTextAsync(exitFile)).Trim());
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
