using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Jupyter;

/// <summary>jupyter_client against the kernels of a running `llmspell kernel start` service, with its REST API.</summary>
public sealed partial class ServiceKernelTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The service in the Jupyter environment's temp dir, its REST token (from its token file) and default kernel id.</summary>
    internal static async Task<(ServiceProcess Service, string Token, string KernelId)> StartServiceAsync(JupyterEnvironment env)
    {
        var service = await ServiceProcess.StartAsync(dir: env.Dir, environment: env.Variables);
        try
        {
            var tokenFile = Path.Combine(env.LlmSpellRuntimeDir, $"token-{service.Port}");
            Assert.True(File.Exists(tokenFile), $"the service wrote no token file at {tokenFile}\n{service.Describe()}");
            var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.BaseUrl, "/api/kernels"));
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
            using var response = await Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET /api/kernels: {(int)response.StatusCode} {body}\n{service.Describe()}");
            var kernels = Check.Json(body, body).EnumerateArray().ToArray();
            var defaultKernel = kernels.Single(k => k.GetProperty("default").GetBoolean());
            Assert.Equal(service.ConnectionFile, defaultKernel.GetProperty("connection_file").GetString());
            return (service, token, defaultKernel.GetProperty("id").GetString()!);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task BlockingKernelClient_OnTheDefaultKernel_ExecutesAndIsInterruptedThroughRest_AndMetricsCountIt()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (service, token, kernelId) = await StartServiceAsync(env);
        await using var serviceScope = service;

        var mode = File.GetUnixFileMode(service.ConnectionFile);
        Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"connection file mode {mode}, expected 0600");
        var connection = Check.Json(await File.ReadAllTextAsync(service.ConnectionFile), service.ConnectionFile);
        foreach (var field in new[] { "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "ip", "key", "transport", "signature_scheme" })
            Assert.True(connection.TryGetProperty(field, out _), $"connection file lacks {field}: {connection}");

        var run = await env.RunScriptAsync("service", service.ConnectionFile, service.BaseUrl.ToString(), token, kernelId);
        var context = run + "\n" + service.Describe();

        var print = run.GetProperty("print");
        Assert.Equal("ok", print.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("out 42\n", print.GetProperty("stdout").GetString());

        var result = run.GetProperty("result");
        Assert.Equal("ok", result.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("42", result.GetProperty("result").GetString());

        var error = run.GetProperty("error").GetProperty("reply");
        Assert.Equal("error", error.GetProperty("status").GetString());
        Check.Contains("boom", error.GetProperty("evalue").GetString()!, context);
        Assert.Single(run.GetProperty("error").GetProperty("errors").EnumerateArray());

        var interruptHttp = run.GetProperty("interrupt_http").GetProperty("status").GetInt32();
        Assert.True(interruptHttp is >= 200 and < 300, $"POST /api/kernels/{kernelId}/interrupt answered {interruptHttp}\n{context}");
        var interrupted = run.GetProperty("interrupt_reply");
        Assert.Equal("error", interrupted.GetProperty("status").GetString());
        Assert.Equal("KeyboardInterrupt", interrupted.GetProperty("ename").GetString());
        var elapsed = run.GetProperty("interrupt_elapsed").GetDouble();
        Assert.True(elapsed < 1.0, $"the execute_reply came {elapsed:F3} s after the REST interrupt (expected < 1 s)\n{context}");
        Assert.Equal("41", run.GetProperty("after").GetProperty("result").GetString());

        var metrics = await service.GetStringAsync("/metrics");
        Assert.True(Sample(metrics, "llmspell_executions_total{status=\"ok\"}") >= 1, "executions ok\n" + metrics);
        Assert.True(Sample(metrics, "llmspell_executions_total{status=\"error\"}") >= 2, "executions error (boom and the interrupt)\n" + metrics);
        Assert.True(Sample(metrics, "llmspell_messages_total{channel=\"shell\",msg_type=\"execute_request\"}") >= 5, "execute_request count\n" + metrics);
        Assert.True(Sample(metrics, "llmspell_execution_duration_seconds_count") >= 5, "duration histogram count\n" + metrics);
        Check.Contains("llmspell_execution_duration_seconds_bucket{", metrics, metrics);
        Check.Contains("llmspell_messages_rejected_total", metrics, metrics);
        Assert.True(Sample(metrics, "llmspell_connected_clients") >= 0, metrics);
    }

    [Fact]
    public async Task PostApiKernels_StartsAnIndependentKernel_RestartClearsItsState_DeleteRemovesItsConnectionFile()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var env = new JupyterEnvironment();
        var (service, token, _) = await StartServiceAsync(env);
        await using var serviceScope = service;

        var run = await env.RunScriptAsync("second-kernel", service.ConnectionFile, service.BaseUrl.ToString(), token);
        var context = run + "\n" + service.Describe();

        var model = run.GetProperty("create").GetProperty("model");
        Assert.False(model.GetProperty("default").GetBoolean(), context);
        var connectionFile = model.GetProperty("connection_file").GetString()!;
        Assert.NotEqual(service.ConnectionFile, connectionFile);
        Assert.True(run.GetProperty("connection_file_exists").GetBoolean(), context);
        Assert.Equal("0o600", run.GetProperty("connection_file_mode").GetString());
        var defaultPorts = Check.Json(await File.ReadAllTextAsync(service.ConnectionFile), "default connection file");
        Assert.NotEqual(defaultPorts.GetProperty("shell_port").GetInt32(), model.GetProperty("ports").GetProperty("shell").GetInt32());

        Assert.Equal("second", Result(run, "set_second", context));
        Assert.Equal("true", Result(run, "default_sees", context)); // only_here == nil in the default kernel
        Assert.Equal("true", Result(run, "second_sees", context)); // only_default == nil in the second kernel

        var restart = run.GetProperty("restart").GetProperty("status").GetInt32();
        Assert.True(restart is >= 200 and < 300, $"restart answered {restart}\n{context}");
        Assert.Equal("true", Result(run, "after_restart", context)); // the variable is gone: a fresh Lua state
        Assert.Equal("3", Result(run, "after_restart_works", context));
        Assert.Equal("1", Result(run, "default_after_restart", context)); // the default kernel kept its state

        var delete = run.GetProperty("delete").GetProperty("status").GetInt32();
        Assert.True(delete is >= 200 and < 300, $"DELETE answered {delete}\n{context}");
        Assert.False(run.GetProperty("connection_file_exists_after_delete").GetBoolean(), $"DELETE left {connectionFile}\n{context}");
        Assert.False(File.Exists(connectionFile), connectionFile);
        Assert.Equal(404, run.GetProperty("get_after_delete").GetInt32());
        Assert.Equal("2", Result(run, "default_still_works", context));
    }

    private static string? Result(JsonElement run, string step, string context)
    {
        var ex = run.GetProperty(step);
        Assert.True(ex.GetProperty("reply").GetProperty("status").GetString() == "ok", $"{step} failed: {ex}\n{context}");
        return ex.GetProperty("result").GetString();
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    /// <summary>The value of one Prometheus sample (exact name and labels); fails when it is absent.</summary>
    internal static double Sample(string metrics, string series)
    {
        foreach (Match m in SampleLine().Matches(metrics))
            if (m.Groups["name"].Value == series)
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        Assert.Fail($"/metrics has no sample {series}\n{metrics}");
        return 0;
    }
}
