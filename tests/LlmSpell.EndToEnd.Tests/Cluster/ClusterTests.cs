using System.Net;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Gateway;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Cluster;

/// <summary>Three built binaries in cluster mode on loopback: any instance answers for any kernel.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Any_instance_serves_any_kernel_lists_the_cluster_places_kernels_and_turns_a_killed_owners_kernels_into_404s()
    {
        await using var cluster = await LoopbackCluster.StartAsync("[kernels]\nmax_kernels = 2\n");
        var onA = await cluster.DefaultKernelAsync("a");
        var onB = await cluster.DefaultKernelAsync("b");

        // Without the token nothing is forwarded: B answers 401 itself, forwarded-by marker or not.
        using (var stranger = new HttpClient())
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Url("b"), $"/api/kernels/{onA}"));
            request.Headers.TryAddWithoutValidation("X-LlmSpell-Forwarded-By", "c");
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.SendAsync(request)).StatusCode);
        }

        // A's kernel through B and C: REST and the websocket (forwarded to A with YARP).
        foreach (var via in new[] { "b", "c" })
        {
            using var get = await cluster.SendAsync(HttpMethod.Get, via, $"/api/kernels/{onA}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("a", JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("instance").GetString());
            using var interrupt = await cluster.SendAsync(HttpMethod.Post, via, $"/api/kernels/{onA}/interrupt");
            Assert.Equal(HttpStatusCode.NoContent, interrupt.StatusCode);
        }
        var run = await WebSocketClient.RunAsync("legacy", cluster.Url("c"), onA, LoopbackCluster.Token);
        Assert.Equal("hello ws\n", run.GetProperty("first").GetProperty("stream").GetString());
        Assert.Equal("42", run.GetProperty("first").GetProperty("results")[0].GetString());
        await using (var restart = WebSocketClient.Start("restart", cluster.Url("b"), onA, LoopbackCluster.Token))
        {
            await restart.WaitForLineAsync("restart-now", TimeSpan.FromSeconds(60));
            using var restarted = await cluster.SendAsync(HttpMethod.Post, "c", $"/api/kernels/{onA}/restart");
            Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
            restart.Continue();
            Assert.Equal("nil", (await restart.ResultAsync(TimeSpan.FromSeconds(60))).GetProperty("after")[0].GetString());
        }

        // GET /api/kernels on C lists every instance's kernels; POSTs spread until the cluster is full (2 each).
        var placed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await cluster.SendAsync(HttpMethod.Post, "c", "/api/kernels");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            placed.Add(JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("instance").GetString()!);
            // The next placement sees this one (peers poll every second).
            await Wait.UntilAsync(async () => (await cluster.KernelsAsync("c")).Count == 4 + i, TimeSpan.FromSeconds(10), "the new kernel in C's list");
        }
        Assert.Equal(["a", "b", "c"], placed.Order().ToArray());
        var all = await cluster.KernelsAsync("c");
        Assert.Equal(6, all.Count);
        Assert.Equal(3, all.Select(k => k.GetProperty("instance").GetString()).Distinct().Count());
        using (var full = await cluster.SendAsync(HttpMethod.Post, "b", "/api/kernels"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
            Assert.Contains("max_kernels", await full.Content.ReadAsStringAsync());
        }

        // kill -9 of A: its kernels are honest 404s on B and C within a few seconds; B's kernel keeps working.
        Processes.Signal(cluster.Instances["a"].Pid, Processes.SIGKILL);
        foreach (var via in new[] { "b", "c" })
            await Wait.UntilAsync(async () => (await cluster.SendAsync(HttpMethod.Get, via, $"/api/kernels/{onA}")).StatusCode == HttpStatusCode.NotFound,
                TimeSpan.FromSeconds(5), $"A's kernel to be a 404 on {via}");
        using (var gone = await cluster.SendAsync(HttpMethod.Get, "c", $"/api/kernels/{onA}"))
            Assert.Contains(onA, await gone.Content.ReadAsStringAsync());
        using (var listed = await cluster.SendAsync(HttpMethod.Get, "c", "/api/kernels"))
            Assert.Equal("a", Assert.Single(listed.Headers.GetValues("X-LlmSpell-Unreachable")));
        var stillB = await WebSocketClient.RunAsync("legacy", cluster.Url("c"), onB, LoopbackCluster.Token);
        Assert.Equal("42", stillB.GetProperty("first").GetProperty("results")[0].GetString());
    }

    [Fact]
    public async Task Sigterm_drains_an_instance_its_running_cell_finishes_then_clients_get_1001_and_it_exits_0()
    {
        await using var cluster = await LoopbackCluster.StartAsync("", "b", "c");
        var onB = await cluster.DefaultKernelAsync("b");
        await using var client = WebSocketClient.Start("drain", cluster.Url("c"), onB, LoopbackCluster.Token);
        await client.WaitForLineAsync("running", TimeSpan.FromSeconds(60));
        Processes.Signal(cluster.Instances["b"].Pid, Processes.SIGTERM);

        // While the cell runs, B is not ready (no new kernels) but still alive.
        await Wait.UntilAsync(async () => (await cluster.SendAsync(HttpMethod.Get, "b", "/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(2), "B to report not ready while draining", () => cluster.Describe());
        using (var live = await cluster.SendAsync(HttpMethod.Get, "b", "/health"))
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var result = await client.ResultAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("ok", result.GetProperty("status").GetString());
        Assert.Equal("drained", result.GetProperty("results")[0].GetString());
        Assert.Equal(1001, result.GetProperty("closed")[0].GetInt32());
        Assert.Equal(0, await cluster.Instances["b"].WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Draining", cluster.Instances["b"].Stdout + cluster.Instances["b"].Stderr);
    }
}
