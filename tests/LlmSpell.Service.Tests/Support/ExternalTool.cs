using System.Diagnostics;
using LlmSpell.Service.Processes;

namespace LlmSpell.Service.Tests.Support;

/// <summary>Runs the real system tools the tests validate against.</summary>
internal static class ExternalTool
{
    /// <summary>A missing tool fails the test, locally as in CI, naming the Debian package to install.</summary>
    public static bool Require(string tool, string debianPackage)
    {
        if (!new SystemProcessRunner().CanFind(tool))
        {
            Assert.Fail($"{tool} is required by this test but is not installed: apt-get install -y {debianPackage} (./scripts/test.sh does it)");
        }

        return true;
    }

    public static ProcessRunResult Run(string tool, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within a minute");
        }

        return new ProcessRunResult(true, process.ExitCode, stdout.Result, stderr.Result);
    }
}
