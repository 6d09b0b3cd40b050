using System.Net.WebSockets;

namespace LlmSpell.Gateway.Tests;

public class GatewayConnectionsTests
{
    private sealed class Recorder : IGatewayConnection
    {
        public List<(WebSocketCloseStatus, string)> Closed { get; } = [];
        public Task CloseAsync(WebSocketCloseStatus status, string reason) { Closed.Add((status, reason)); return Task.CompletedTask; }
    }

    [Fact]
    public async Task Counts_per_kernel_and_closes_every_connection_at_shutdown()
    {
        var connections = new GatewayConnections();
        var totals = new List<int>();
        connections.CountChanged += totals.Add;
        var a1 = new Recorder(); var a2 = new Recorder(); var b = new Recorder();
        using var ra1 = connections.Add("a", a1);
        var ra2 = connections.Add("a", a2);
        using var rb = connections.Add("b", b);
        Assert.Equal(2, connections.Count("a"));
        Assert.Equal(1, connections.Count("b"));
        Assert.Equal(0, connections.Count("c"));

        await connections.CloseEverythingAsync("service stopping");
        Assert.Single(a1.Closed);
        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "service stopping"), a2.Closed[0]);
        Assert.Single(b.Closed);

        ra2.Dispose();
        ra2.Dispose();
        Assert.Equal(1, connections.Count("a"));
        Assert.Equal([1, 2, 3, 2], totals);
    }
}
