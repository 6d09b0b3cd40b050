using System.Diagnostics;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Jupyter;

/// <summary>
/// A private Jupyter world in a temp directory: JUPYTER_PATH / JUPYTER_DATA_DIR / JUPYTER_RUNTIME_DIR / HOME and
/// llmspell's runtime directory all live under it, so nothing is read from or installed into the real system or home.
/// </summary>
public sealed class JupyterEnvironment : IDisposable
{
    public const string Python = "/usr/bin/python3";

    public JupyterEnvironment()
    {
        foreach (var dir in new[] { JupyterPath, DataDir, RuntimeDir, LlmSpellRuntimeDir, Home })
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public TempDir Dir { get; } = new();

    public string Prefix => Dir.Path;
    public string JupyterPath => Path.Combine(Dir.Path, "share", "jupyter");
    public string DataDir => Dir.File("data");
    public string RuntimeDir => Dir.File("runtime");
    public string LlmSpellRuntimeDir => Dir.File("run");
    public string Home => Dir.File("home");

    /// <summary>More variables for every process this environment starts (e.g. LLMSPELL_CONFIG for kernels Jupyter launches).</summary>
    public Dictionary<string, string?> Extra { get; } = [];

    /// <summary>The environment of every process a test starts (Jupyter tools and llmspell alike).</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?>(Extra)
    {
        ["JUPYTER_PATH"] = JupyterPath,
        ["JUPYTER_DATA_DIR"] = DataDir,
        ["JUPYTER_RUNTIME_DIR"] = RuntimeDir,
        ["JUPYTER_CONFIG_DIR"] = Path.Combine(Home, ".jupyter"),
        ["JUPYTER_PLATFORM_DIRS"] = "0",
        ["IPYTHONDIR"] = Path.Combine(Home, ".ipython"),
        ["HOME"] = Home,
        ["LLMSPELL_RUNTIME_DIR"] = LlmSpellRuntimeDir,
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["PYTHONUNBUFFERED"] = "1",
    };

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Jupyter", "scripts", "jupyter_e2e.py");

    /// <summary>Fails (never skips) when the system Python cannot import what the tests use, naming the Debian package.</summary>
    public static void RequirePython(string module, string aptPackage)
    {
        if (!File.Exists(Python)) Assert.Fail($"{Python} is missing; install it with `sudo apt-get install -y python3 {aptPackage}`.");
        var info = PythonStartInfo(["-c", $"import {module}"], null);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            Assert.Fail($"{Python} cannot import {module}: {stderr.Trim()}\nInstall it with `sudo apt-get install -y {aptPackage}` (or run ./scripts/test.sh, which installs every test dependency).");
    }

    /// <summary>Runs jupyter_e2e.py COMMAND ARGS and returns the JSON object it prints last; fails with its output otherwise.</summary>
    public async Task<JsonElement> RunScriptAsync(string command, params string[] args)
    {
        var result = await RunPythonAsync([Script, command, .. args], TimeSpan.FromSeconds(60));
        if (result.ExitCode == 3) Assert.Fail($"A Python package is missing (see the message for the Debian package to install).\n{result}");
        Check.ExitCode(0, result);
        var last = result.Stdout.Trim().Split('\n').Last();
        return Check.Json(last, result);
    }

    public async Task<ProcessResult> RunPythonAsync(IReadOnlyList<string> args, TimeSpan timeout)
    {
        var info = PythonStartInfo(args, Variables);
        var command = Python + " " + string.Join(' ', args);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start python");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s:\n" + new ProcessResult(command, -1, await stdout, await stderr, watch.Elapsed));
        }
        return new ProcessResult(command, process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    internal static ProcessStartInfo PythonStartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        ProcessRunner.ApplyEnvironment(info, environment);
        // A pyenv or virtualenv interpreter on PATH must not leak its settings into the system Python.
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONHOME");
        info.Environment.Remove("VIRTUAL_ENV");
        info.Environment.Remove("TMUX");
        return info;
    }

    /// <summary>Installs the kernelspec into this environment's prefix and returns the path of kernel.json.</summary>
    public async Task<string> InstallKernelspecAsync()
    {
        var result = await Cli.RunAsync(["kernel", "install-kernelspec", "--prefix", Prefix, "--name", "llmspell"], environment: Variables);
        Check.ExitCode(0, result);
        var kernelJson = Path.Combine(JupyterPath, "kernels", "llmspell", "kernel.json");
        Assert.True(File.Exists(kernelJson), $"install-kernelspec did not write {kernelJson}\n{result}");
        return kernelJson;
    }

    public void Dispose() => Dir.Dispose();
}
