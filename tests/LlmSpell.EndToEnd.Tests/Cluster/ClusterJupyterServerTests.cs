using LlmSpell.EndToEnd.Tests.Gateway;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Cluster;

public sealed class ClusterJupyterServerTests
{
    [Fact]
    public async Task Jupyter_Server_pointed_at_instance_c_runs_a_notebook_whose_kernel_lives_on_a()
    {
        JupyterFrontend.Require(JupyterFrontend.Kind.JupyterServer);
        // C is full with its own default kernel, so the kernel Jupyter Server asks C for is placed on A.
        await using var cluster = await LoopbackCluster.StartAsync(name => name == "c" ? "[kernels]\nmax_kernels = 1\n" : "", null, "a", "c");
        using var env = new JupyterEnvironment();
        var notebooks = Directory.CreateDirectory(env.Dir.File("notebooks")).FullName;
        await using var jupyter = await JupyterFrontend.StartAsync(JupyterFrontend.Kind.JupyterServer, env, cluster.Url("c"), LoopbackCluster.Token, notebooks);

        var result = await env.RunPythonAsync([GatewayWorld.Script("gateway_e2e.py"), "remote_session", jupyter.BaseUrl.ToString(), jupyter.Token],
            TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"{result}\n{jupyter.Describe()}\n{cluster.Describe()}");
        var run = Check.Json(result.Stdout.Trim().Split('\n').Last(), result);
        Assert.Equal("a", run.GetProperty("create").GetProperty("body").GetProperty("kernel").GetProperty("instance").GetString());
        var kernel = run.GetProperty("create").GetProperty("body").GetProperty("kernel").GetProperty("id").GetString()!;
        var execute = run.GetProperty("execute");
        Assert.Equal("ok", execute.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("on the owner\n", execute.GetProperty("stdout").GetString());
        Assert.Equal("42", execute.GetProperty("result").GetString());
        // C placed it and forwarded the websocket: A ran the cell (its kernel's execution count moved), and C counted the hop.
        using var onOwner = await cluster.SendAsync(HttpMethod.Get, "a", $"/api/kernels/{kernel}");
        Assert.True(Check.Json(await onOwner.Content.ReadAsStringAsync(), "kernel").GetProperty("execution_count").GetInt32() >= 1);
        Assert.Contains("llmspell_cluster_forwarded_requests_total{outcome=\"ok\"}", await cluster.Http.GetStringAsync(new Uri(cluster.Url("c"), "/metrics")));
    }
}
