using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Jupyter;

/// <summary>`llmspell kernel install-kernelspec` as Jupyter sees it, and a notebook executed by nbclient through it.</summary>
public sealed class KernelspecTests
{
    [Fact]
    public async Task InstallKernelspec_IsFoundByJupyter_AndLaunchesThisBinary()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var kernelJson = await env.InstallKernelspecAsync();

        var spec = Check.Json(await File.ReadAllTextAsync(kernelJson), kernelJson);
        var argv = spec.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray();
        Assert.True(Path.IsPathFullyQualified(argv[0]), $"argv[0] must be an absolute path: {argv[0]}");
        Assert.Equal(Path.GetFullPath(LlmSpellBinary.Executable), argv[0]);
        Assert.Equal(["kernel", "run", "--connection-file", "{connection_file}"], argv[1..]);
        Assert.Equal("message", spec.GetProperty("interrupt_mode").GetString());
        Assert.Equal("lua", spec.GetProperty("language").GetString());

        // The logos beside kernel.json, as Jupyter looks for them (notebook UIs show logo-64x64.png).
        var resourceDir = Path.GetDirectoryName(kernelJson)!;
        foreach (var (file, size) in new[] { ("logo-32x32.png", 32), ("logo-64x64.png", 64) })
        {
            var logo = Path.Combine(resourceDir, file);
            Assert.True(File.Exists(logo), $"install-kernelspec did not write {logo}");
            Assert.Equal((size, size), Png.Size(await File.ReadAllBytesAsync(logo), logo));
        }
        Check.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(resourceDir, "logo-svg.svg")), resourceDir);

        // `jupyter kernelspec list` when Debian ships the subcommand (jupyter-kernelspec); the same lookup through
        // jupyter_client's KernelSpecManager in any case.
        var kernelspecTool = new[] { "/usr/bin/jupyter-kernelspec", "/usr/local/bin/jupyter-kernelspec" }.FirstOrDefault(File.Exists);
        if (kernelspecTool is not null)
        {
            var list = await env.RunPythonAsync([kernelspecTool, "list", "--json"], TimeSpan.FromSeconds(60));
            Check.ExitCode(0, list);
            var listed = Check.Json(list.Stdout, list).GetProperty("kernelspecs");
            Assert.True(listed.TryGetProperty("llmspell", out var entry), $"jupyter kernelspec list does not show llmspell\n{list}");
            Assert.Equal(Path.GetDirectoryName(kernelJson), entry.GetProperty("resource_dir").GetString());
        }

        var found = await env.RunScriptAsync("specs");
        Assert.Equal(Path.GetDirectoryName(kernelJson), found.GetProperty("specs").GetProperty("llmspell").GetString());
        Assert.Equal(argv, found.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal("message", found.GetProperty("interrupt_mode").GetString());
    }

    [Fact]
    public async Task Nbclient_ExecutesALuaNotebook_ThroughTheInstalledKernelspec_AndTheKernelExits()
    {
        JupyterEnvironment.RequirePython("nbclient", "python3-nbclient");
        JupyterEnvironment.RequirePython("nbformat", "python3-nbformat");
        using var env = new JupyterEnvironment();
        await env.InstallKernelspecAsync();

        var run = await env.RunScriptAsync("notebook", env.Home);
        var cells = run.GetProperty("cells").EnumerateArray().ToArray();
        var context = run.ToString();
        Assert.Equal(9, cells.Length);
        for (var i = 0; i < cells.Length; i++)
            Assert.True(cells[i].GetProperty("execution_count").GetInt32() == i + 1, $"cell {i} execution_count\n{context}");

        var printed = Single(cells[0], context);
        Assert.Equal("stream", printed.GetProperty("output_type").GetString());
        Assert.Equal("stdout", printed.GetProperty("name").GetString());
        Assert.Equal("hello from lua\n", printed.GetProperty("text").GetString());

        Assert.Empty(cells[1].GetProperty("outputs").EnumerateArray());
        AssertResult(cells[2], 3, "42", context);
        AssertResult(cells[3], 4, "hi jupyter", context);
        AssertResult(cells[4], 5, "3", context);
        AssertResult(cells[5], 6, "{1, 2, 3, name = \"lua\"}", context);
        AssertResult(cells[6], 7, "20", context);

        var error = Single(cells[7], context);
        Assert.Equal("error", error.GetProperty("output_type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("ename").GetString()), context);
        Check.Contains("boom", error.GetProperty("evalue").GetString()!, context);
        Assert.NotEmpty(error.GetProperty("traceback").EnumerateArray());
        // allow_errors: the notebook goes on after the failing cell, with its variables intact
        AssertResult(cells[8], 9, "21", context);

        var languageInfo = run.GetProperty("language_info");
        Assert.Equal("lua", languageInfo.GetProperty("name").GetString());
        Assert.Equal(".lua", languageInfo.GetProperty("file_extension").GetString());

        // nbclient shut the kernel down: it went by itself (exit 0, not killed by jupyter_client) and left nothing behind
        var pid = run.GetProperty("pid").GetInt32();
        Assert.True(run.GetProperty("exited").GetBoolean(), $"the kernel process {pid} was still running after nbclient finished\n{context}");
        Assert.False(Processes.IsRunning(pid), $"kernel process {pid} is still alive");
        Assert.True(run.GetProperty("returncode").ValueKind == JsonValueKind.Number && run.GetProperty("returncode").GetInt32() == 0,
            $"the kernel should exit 0 on nbclient's shutdown_request, got returncode {run.GetProperty("returncode")}\n{context}");
        Assert.False(run.GetProperty("connection_file_exists").GetBoolean(), $"the connection file was left behind\n{context}");
    }

    private static JsonElement Single(JsonElement cell, string context)
    {
        var outputs = cell.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.True(outputs.Length == 1, $"expected one output, got {outputs.Length}: {cell}\n{context}");
        return outputs[0];
    }

    private static void AssertResult(JsonElement cell, int executionCount, string text, string context)
    {
        var output = Single(cell, context);
        Assert.True(output.GetProperty("output_type").GetString() == "execute_result", $"expected an execute_result: {cell}");
        Assert.Equal(text, output.GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal(executionCount, output.GetProperty("execution_count").GetInt32());
    }
}
