using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Browser;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>
/// A person's view: classic Notebook 6 in gateway mode in front of the real service, driven in headless Chromium.
/// The notebook's kernel runs on llmspell; its cell is run from the keyboard and its output read off the page.
/// </summary>
public sealed class NotebookUiTests
{
    /// <summary>Set to a directory (e.g. docs/images) to keep the screenshot there too, as docs/images/notebook-gateway.png.</summary>
    public const string ScreenshotDirVariable = "LLMSPELL_SCREENSHOT_DIR";

    private const string NotebookName = "hello-llmspell.ipynb";

    [Fact]
    public async Task ClassicNotebook_ThroughTheGateway_RunsALuaCellInChromium_AndShowsItsOutput()
    {
        BrowserScript.RequireBrowser();
        JupyterFrontend.Require(JupyterFrontend.Kind.ClassicNotebook);
        await using var world = await GatewayWorld.StartAsync();
        File.WriteAllText(Path.Combine(world.NotebookDir, NotebookName), Notebook("print(\"Hello from LLMSpell\")\nreturn 6 * 7"));
        var notebook = await world.StartFrontendAsync(JupyterFrontend.Kind.ClassicNotebook);

        var screenshots = new List<string> { world.Env.Dir.File("notebook-gateway.png") };
        if (Environment.GetEnvironmentVariable(ScreenshotDirVariable) is { Length: > 0 } keep)
            screenshots.Add(Path.Combine(Path.GetFullPath(keep), "notebook-gateway.png"));
        var url = new Uri(notebook.BaseUrl, $"/notebooks/{NotebookName}?token={notebook.Token}").ToString();

        var run = await world.RunDriverAsync("notebook_ui.py", TimeSpan.FromSeconds(90), [url, .. screenshots]);
        var context = run + "\n" + world.Describe();

        Assert.Equal("Lua 5.4 (LLMSpell)", run.GetProperty("kernel_name").GetString());
        Assert.Equal(["Hello from LLMSpell"], Strings(run.GetProperty("stream")));
        Assert.Equal(["42"], Strings(run.GetProperty("result")));
        Assert.Equal("In [1]:", run.GetProperty("input_prompt").GetString());
        Assert.Equal(["Out[1]:"], Strings(run.GetProperty("output_prompt")));
        Assert.True(run.GetProperty("errors").GetArrayLength() == 0, $"the cell showed an error\n{context}");

        // The notebook's kernel is a kernel of llmspell (besides the service's default one), started by the session.
        var kernels = await world.LlmSpellKernelsAsync();
        var sessionKernels = kernels.Where(k => !k.GetProperty("default").GetBoolean()).ToArray();
        Assert.True(sessionKernels.Length == 1, $"expected the notebook's kernel on llmspell: {string.Join(", ", kernels)}\n{context}");
        Assert.True(sessionKernels[0].GetProperty("execution_count").GetInt32() >= 1, $"{sessionKernels[0]}\n{context}");

        // The browser has quit: the Notebook closed its websocket to llmspell, and the kernel runs on without errors.
        await world.AssertChannelsClosedCleanlyAsync(1);

        foreach (var path in screenshots)
        {
            var png = await File.ReadAllBytesAsync(path);
            Assert.True(png.Length > 10_000 && png[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }),
                $"{path} is not a PNG screenshot ({png.Length} bytes)");
        }
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>An nbformat 4 notebook with one Lua code cell, its kernelspec llmspell's.</summary>
    private static string Notebook(string source) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new Dictionary<string, object>
        {
            ["kernelspec"] = new Dictionary<string, string> { ["name"] = "llmspell", ["display_name"] = "Lua 5.4 (LLMSpell)", ["language"] = "lua" },
            ["language_info"] = new Dictionary<string, string> { ["name"] = "lua", ["file_extension"] = ".lua", ["mimetype"] = "text/x-lua" },
        },
        ["cells"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["cell_type"] = "code",
                ["id"] = "hello-lua",
                ["metadata"] = new Dictionary<string, object>(),
                ["execution_count"] = null!,
                ["outputs"] = Array.Empty<object>(),
                ["source"] = source,
            },
        },
    });
}
