using LlmSpell.EndToEnd.Tests.Gateway;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Cluster;

/// <summary>State on one real PostgreSQL, shared by the instances of a cluster.</summary>
public sealed class ClusterStateTests
{
    [Fact]
    public async Task State_saved_by_a_kernel_on_a_is_loaded_by_a_kernel_on_b_each_reached_through_c()
    {
        var dsn = TestPostgres.ConnectionString;
        var scope = "cluster-" + Guid.NewGuid().ToString("N");
        const string toml = "[state]\nbackend = \"postgres\"\nconnection_string_env = \"LLMSPELL_STATE_DSN\"\n";
        await using var cluster = await LoopbackCluster.StartAsync(_ => toml, new Dictionary<string, string?> { ["LLMSPELL_STATE_DSN"] = dsn }, "a", "b", "c");
        Uri Channels(string kernel) => new($"ws://{cluster.Url("c").Authority}/api/kernels/{kernel}/channels");

        using (var onA = await RawWebSocket.ConnectAsync(Channels(await cluster.DefaultKernelAsync("a")), LoopbackCluster.Token))
        {
            var saved = await onA.ExecuteAsync($"State.save('{scope}', 'handoff', {{from = 'A', n = 42}}) return 'saved'", TimeSpan.FromSeconds(60));
            Assert.True(saved.Status == "ok", $"{saved}\n{cluster.Describe()}");
        }
        using var onB = await RawWebSocket.ConnectAsync(Channels(await cluster.DefaultKernelAsync("b")), LoopbackCluster.Token);
        var loaded = await onB.ExecuteAsync($"local v = State.load('{scope}', 'handoff') return v.from .. ' ' .. v.n", TimeSpan.FromSeconds(60));
        Assert.Equal("ok", loaded.Status);
        Assert.Equal("A 42", loaded.Result);
        foreach (var instance in cluster.Instances.Values)
            Check.DoesNotContain(TestPostgres.Password(dsn), instance.Stdout + instance.Stderr, instance.Describe());
    }
}
