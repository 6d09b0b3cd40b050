using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Browser;

/// <summary>
/// Runs a Selenium script from this folder (beside browser.py, its shared headless-Chromium start-up) with the system
/// Python. Chromium, chromedriver and Selenium are required: a missing one fails the test with the package to install.
/// </summary>
public static class BrowserScript
{
    /// <summary>Where screenshots go: the system temp directory, kept after the run so a person can look at them.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var dir = Path.Combine(Path.GetTempPath(), "llmspell-browser-tests");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static void RequireBrowser()
    {
        RequiredTool.Find("chromium", "chromium");
        RequiredTool.Find("chromedriver", "chromium-driver");
        JupyterEnvironment.RequirePython("selenium", "python3-selenium");
    }

    /// <summary>Runs Browser/<paramref name="script"/> with <paramref name="args"/>; <paramref name="stdin"/> carries secrets (never argv).</summary>
    public static async Task<ProcessResult> RunAsync(string script, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        RequireBrowser();
        var path = Path.Combine(AppContext.BaseDirectory, "Browser", script);
        var result = await ProcessRunner.RunAsync(JupyterEnvironment.Python, [path, .. args], stdin, timeout ?? TimeSpan.FromSeconds(120),
            environment: new Dictionary<string, string?> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" });
        if (result.ExitCode == 3) Assert.Fail($"A browser test dependency is missing (the message names the Debian package).\n{result}");
        return result;
    }
}
