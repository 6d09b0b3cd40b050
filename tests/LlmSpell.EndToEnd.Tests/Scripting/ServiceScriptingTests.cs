using System.Net.Http.Headers;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.EndToEnd.Tests.Scripting;

/// <summary>The service's kernel calling a model: streaming, interrupt, and what the REST API and /metrics report.</summary>
public sealed class ServiceScriptingTests
{
    private const string Secret = "sk-service-7d2e";

    [Fact]
    public async Task ServiceKernel_StreamsIsInterruptedMidStream_AndReportsProvidersStatsAndMetrics()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        await using var d = await ProviderDouble.StartAsync();
        using var env = new JupyterEnvironment();
        env.Extra["OPENAI_API_KEY"] = Secret;
        var config = $"""
            [daemon]
            working_dir = "{env.Dir.Path}"
            [providers.openai]
            base_url = "{d.OpenAIBaseUrl}"
            default_model = "gpt-test"
            """;
        await using var service = await ServiceProcess.StartAsync(configToml: config, dir: env.Dir, environment: env.Variables);
        var token = (await File.ReadAllTextAsync(Path.Combine(env.LlmSpellRuntimeDir, $"token-{service.Port}"))).Trim();

        // The first streamed call succeeds; the second ([[slow]]: 10 s between chunks) is interrupted mid-stream.
        var run = await RunDriverAsync(env, d, service.ConnectionFile);
        var context = run + "\n" + service.Describe();

        Assert.Equal("echo: from the service", run.GetProperty("stream").GetString());
        Assert.True(run.GetProperty("stream_messages").GetInt32() > 1, $"the reply came as one stream message, not streamed\n{context}");
        Assert.True(run.GetProperty("streamed_before_reply").GetBoolean(), $"stream output arrived after the execute_reply\n{context}");
        var interrupted = run.GetProperty("interrupted");
        Assert.Equal("error", interrupted.GetProperty("status").GetString());
        Assert.True(run.GetProperty("interrupt_seconds").GetDouble() < 1.5, $"the interrupt took too long\n{context}");
        Assert.Equal("ok", run.GetProperty("after").GetProperty("status").GetString());
        Assert.Equal("echo: still alive", run.GetProperty("after").GetProperty("result").GetString());
        Assert.Equal("nil", run.GetProperty("getenv").GetProperty("result").GetString());

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        var providers = await http.GetStringAsync(new Uri(service.BaseUrl, "/api/providers"));
        var openai = Check.Json(providers, providers).EnumerateArray().Single(p => p.GetProperty("name").GetString() == "openai");
        Assert.True(openai.GetProperty("key_present").GetBoolean(), providers);
        Assert.Equal("env:OPENAI_API_KEY", openai.GetProperty("key_source").GetString());
        Check.DoesNotContain(Secret, providers, providers);

        var stats = Check.Json(await http.GetStringAsync(new Uri(service.BaseUrl, "/api/stats")), "stats").GetProperty("llm");
        Assert.True(stats.GetProperty("requests").GetInt64() >= 3, stats.ToString());
        var metrics = await http.GetStringAsync(new Uri(service.BaseUrl, "/metrics"));
        Check.Contains("llmspell_llm_requests_total{provider=\"openai\",model=\"gpt-test\",outcome=\"ok\"}", metrics, "metrics");
        Check.Contains("llmspell_llm_requests_total{provider=\"openai\",model=\"gpt-test\",outcome=\"cancelled\"}", metrics, "metrics");
        Check.DoesNotContain(Secret, metrics + service.Stdout + service.Stderr + await File.ReadAllTextAsync(service.ConnectionFile), "outputs");
    }

    [Fact]
    public async Task State_SavedInOneServiceRun_IsLoadedAfterAServiceRestart()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var config = $"[daemon]\nworking_dir = \"{env.Dir.Path}\"\n";
        var script = Path.Combine(AppContext.BaseDirectory, "Scripting", "state_cell.py");

        async Task<System.Text.Json.JsonElement> CellAsync(ServiceProcess service, string code)
        {
            var result = await env.RunPythonAsync([script, service.ConnectionFile, code], TimeSpan.FromSeconds(60));
            Check.ExitCode(0, result);
            return Check.Json(result.Stdout.Trim().Split('\n').Last(), result);
        }

        await using (var first = await ServiceProcess.StartAsync(configToml: config, dir: env.Dir, environment: env.Variables))
        {
            var saved = await CellAsync(first, "State.save('ops', 'last_run', {ok = true, count = 7}) return #State.list_keys('ops')");
            Assert.Equal("1", saved.GetProperty("result").GetString());
            first.SendSignal(Processes.SIGTERM);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        }
        await using var second = await ServiceProcess.StartAsync(configToml: config, dir: env.Dir, environment: env.Variables);
        var loaded = await CellAsync(second, "local v = State.load('ops', 'last_run') return tostring(v.ok) .. ' ' .. v.count");
        Assert.Equal("true 7", loaded.GetProperty("result").GetString());
        Assert.True(File.Exists(Path.Combine(env.Dir.Path, "state.db")));
    }

    private static async Task<System.Text.Json.JsonElement> RunDriverAsync(JupyterEnvironment env, ProviderDouble d, string connectionFile)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripting", "service_llm.py");
        var result = await env.RunPythonAsync([script, connectionFile], TimeSpan.FromSeconds(90));
        Check.ExitCode(0, result);
        return Check.Json(result.Stdout.Trim().Split('\n').Last(), result);
    }
}
