using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>
/// Runs the SDK scripts (Doubles/sdk/*.mjs, copied next to the test assembly) with node, the official npm SDKs resolved
/// from the repository's tests/tools/node_modules (installed by scripts/test.sh), and returns the JSON they print.
/// </summary>
internal static class NodeSdk
{
    /// <summary>The SDK versions the doubles are proven against; scripts/test.sh installs exactly these.</summary>
    private static readonly (string Package, string Version)[] Pins =
        [("openai", "7.55.0"), ("@anthropic-ai/sdk", "1.10.0"), ("ollama", "0.6.4")];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string NodeModules => Path.Combine(RepositoryRoot, "tests", "tools", "node_modules");

    /// <summary>Runs <c>node Doubles/sdk/SCRIPT BASE_URL</c> with DOUBLE_API_KEY=<paramref name="apiKey"/>; fails the test when it cannot.</summary>
    public static async Task<JsonObject> RunAsync(string script, string baseUrl, string apiKey)
    {
        RequireSdks(NodeModules);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Doubles", "sdk", script));
        start.ArgumentList.Add(baseUrl);
        // The SDKs read their provider's variables (base URLs, keys, proxies); none of a developer's may leak in.
        foreach (var name in start.Environment.Keys.ToList())
            if (name.StartsWith("OPENAI_", StringComparison.Ordinal) || name.StartsWith("ANTHROPIC_", StringComparison.Ordinal)
                || name.StartsWith("OLLAMA_", StringComparison.Ordinal) || name.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        start.Environment["NODE_PATH"] = NodeModules;
        start.Environment["DOUBLE_API_KEY"] = apiKey;

        using var node = StartNode(start);
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} did not finish within {Timeout.TotalSeconds:F0} s\nstderr:\n{await stderr}");
        }
        var output = await stdout;
        if (node.ExitCode != 0) Assert.Fail($"node {script} exited with {node.ExitCode}\nstderr:\n{await stderr}\nstdout:\n{output}");
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            return JsonNode.Parse(last ?? "") as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException invalid)
        {
            Assert.Fail($"node {script} printed no JSON object ({invalid.Message})\nstdout:\n{output}\nstderr:\n{await stderr}");
            throw;
        }
    }

    /// <summary>
    /// Fails (never skips) when an SDK is missing or at another version: the doubles' faithfulness is only proven
    /// through them. Under CI=true the message says CI itself lacks the install step.
    /// </summary>
    internal static void RequireSdks(string nodeModules)
    {
        var problems = new List<string>();
        foreach (var (package, version) in Pins)
        {
            var manifest = Path.Combine(nodeModules, package, "package.json");
            if (!File.Exists(manifest))
            {
                problems.Add($"{package}@{version} is not installed");
                continue;
            }
            var installed = JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.GetValue<string>();
            if (installed != version) problems.Add($"{package} is at {installed}, not {version}");
        }
        if (problems.Count == 0) return;
        var where = Environment.GetEnvironmentVariable("CI") == "true"
            ? "CI must run scripts/test.sh (it installs them) before these tests"
            : "run scripts/test.sh once (it installs them into tests/tools)";
        Assert.Fail($"The npm SDKs that prove the provider doubles are missing from {nodeModules}: {string.Join("; ", problems)}. Fix: {where}.");
    }

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Win32Exception missing)
        {
            Assert.Fail($"Cannot start node ({missing.Message}): install Node.js so that `node` is on PATH.");
            throw;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "LlmSpell.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No LlmSpell.sln above {AppContext.BaseDirectory}: the tests must run from the repository's build output.");
    }
}
