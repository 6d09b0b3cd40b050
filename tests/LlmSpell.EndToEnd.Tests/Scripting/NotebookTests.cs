using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.EndToEnd.Tests.Scripting;

/// <summary>A notebook with model calls, executed by nbclient through the installed kernelspec.</summary>
public sealed class NotebookTests
{
    [Fact]
    public async Task Nbclient_StreamsCallsToolsRunsAWorkflow_AndStateOutlivesTheKernel()
    {
        JupyterEnvironment.RequirePython("nbclient", "python3-nbclient");
        await using var d = await ProviderDouble.StartAsync();
        using var env = new JupyterEnvironment();
        var config = env.Dir.Write("kernel.toml", $"""
            [daemon]
            working_dir = "{env.Dir.Path}"
            [providers.openai]
            base_url = "{d.OpenAIBaseUrl}"
            default_model = "gpt-test"
            [providers.local]
            provider_type = "ollama"
            base_url = "{d.BaseUrl}"
            """);
        env.Extra["LLMSPELL_CONFIG"] = config;
        env.Extra["OPENAI_API_KEY"] = "sk-notebook";
        await env.InstallKernelspecAsync();

        var script = Path.Combine(AppContext.BaseDirectory, "Scripting", "llm_notebook.py");
        var result = await env.RunPythonAsync([script], TimeSpan.FromSeconds(120));
        Check.ExitCode(0, result);
        var run = Check.Json(result.Stdout.Trim().Split('\n').Last(), result);
        var first = run.GetProperty("first").EnumerateArray().ToArray();
        var context = run.ToString();

        foreach (var (cell, i) in first.Select((c, i) => (c, i)))
            Assert.False(cell.EnumerateArray().Any(o => o.GetProperty("output_type").GetString() == "error"), $"cell {i} failed\n{context}");

        var streamed = first[1].EnumerateArray().Where(o => o.GetProperty("output_type").GetString() == "stream").Select(o => o.GetProperty("text").GetString()).ToList();
        Assert.Equal("echo: hello streamed world", string.Concat(streamed));
        var markdown = first[1].EnumerateArray().Single(o => o.GetProperty("output_type").GetString() == "execute_result");
        Assert.Equal("echo: hello streamed world", markdown.GetProperty("data").GetProperty("text/markdown").GetString());

        Assert.Equal("add=5", Result(first[2], context));
        Assert.Equal("ok echo: one / echo: two", Result(first[3], context));
        Assert.Equal("42 b", Result(run.GetProperty("second")[0], context));
        Assert.True(File.Exists(Path.Combine(env.Dir.Path, "state.db")), "state.db is not in daemon.working_dir");
    }

    private static string Result(JsonElement outputs, string context)
    {
        var result = outputs.EnumerateArray().FirstOrDefault(o => o.GetProperty("output_type").GetString() == "execute_result");
        Assert.True(result.ValueKind == JsonValueKind.Object, $"no execute_result\n{context}");
        return result.GetProperty("data").GetProperty("text/plain").GetString()!;
    }
}
