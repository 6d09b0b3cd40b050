using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests.Support;

/// <summary>Runs tests/LlmSpell.Kernel.Tests/jupyter/scenario.py with the system Python and its jupyter_client.</summary>
public static class PythonClient
{
    public const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> Unavailable = new(Probe);

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        var (code, _, err) = RunProcess(["-c", "import jupyter_client, zmq"], TimeSpan.FromSeconds(30));
        return code == 0 ? null : $"{Python} cannot import jupyter_client: {err.Trim()}";
    }

    /// <summary>Fails (never skips) when jupyter_client is missing, with the install hint.</summary>
    public static void Require()
    {
        if (Unavailable.Value is { } why)
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true)" : "";
            Assert.Fail($"End-to-end Jupyter tests need the Debian jupyter_client{ci}: {why}. Install it with `apt-get install python3-jupyter-client`.");
        }
    }

    public static async Task<JsonElement> RunScenarioAsync(string connectionFile, string scenario, ITestOutputHelper output, TimeSpan? timeout = null)
    {
        Require();
        var script = Path.Combine(AppContext.BaseDirectory, "jupyter", "scenario.py");
        Assert.True(File.Exists(script), $"missing {script}");
        var (code, stdout, stderr) = await Task.Run(() => RunProcess([script, connectionFile, scenario], timeout ?? TimeSpan.FromSeconds(60)));
        output.WriteLine($"--- scenario {scenario}: exit {code}");
        output.WriteLine("stdout: " + stdout);
        if (stderr.Length > 0) output.WriteLine("stderr: " + stderr);
        Assert.True(code == 0, $"scenario '{scenario}' failed (exit {code}): {stderr.Trim()} {stdout.Trim()}");
        var last = stdout.Trim().Split('\n').Last();
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static (int Code, string Stdout, string Stderr) RunProcess(IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The pyenv interpreter on PATH must not leak its settings into the system Python.
        psi.Environment.Remove("PYTHONPATH");
        psi.Environment.Remove("PYTHONHOME");
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(5000);
            return (-1, stdout.IsCompleted ? stdout.Result : "", $"timed out after {timeout}; " + (stderr.IsCompleted ? stderr.Result : ""));
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
