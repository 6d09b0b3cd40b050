using System.Text.Json.Nodes;
using LlmSpell.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests;

public class JupyterClientRunningCellTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OutputIsStreamedWhileTheCellRuns()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "streaming", output);
        Assert.Equal("stdout", r.GetProperty("first").GetProperty("name").GetString());
        Assert.StartsWith("first", r.GetProperty("first").GetProperty("text").GetString());
        Assert.Equal("error", r.GetProperty("status").GetString());
        Assert.Equal("KeyboardInterrupt", r.GetProperty("ename").GetString());
    }

    [Fact]
    public async Task InterruptCancelsPendingInputRequest()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "interrupt_input", output);
        Assert.True(r.GetProperty("elapsed").GetDouble() < 1.0);
        Assert.Equal("error", r.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("2", r.GetProperty("after").GetString());
    }

    [Fact]
    public async Task ExecutionTimeoutStopsTheCell()
    {
        await using var h = KernelHarness.Start(output, o => o with { ExecutionTimeout = TimeSpan.FromMilliseconds(300) });
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "timeout", output);
        Assert.Equal("error", r.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("TimeoutError", r.GetProperty("reply").GetProperty("ename").GetString());
        Assert.True(r.GetProperty("elapsed").GetDouble() < 5);
        Assert.Equal("2", r.GetProperty("after").GetString());
    }
}

/// <summary>Host-side API (RestartAsync, InterruptAsync, StopAsync) against a running cell, with the C# client.</summary>
public class KernelHostApiTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static string? Execute(RawClient client, string code, out JsonObject reply)
    {
        var id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = code, ["silent"] = false });
        reply = client.Receive(client.Shell, id, Timeout)?.Content ?? throw new TimeoutException("no execute_reply");
        var iopub = client.IoPubUntilIdle(id, Timeout);
        return (string?)iopub.FirstOrDefault(m => m.MsgType == "execute_result")?.Content["data"]?["text/plain"];
    }

    [Fact]
    public async Task RestartAsyncResetsStateAndCount()
    {
        await using var h = KernelHarness.Start(output);
        using var client = new RawClient(h.Kernel.Connection);
        client.WaitForReady(Timeout);
        Execute(client, "x = 5", out _);
        Assert.Equal("5", Execute(client, "x", out _));
        Assert.Equal(2, h.Kernel.ExecutionCount);

        await h.Kernel.RestartAsync().WaitAsync(Timeout);
        Assert.Equal(0, h.Kernel.ExecutionCount);
        Assert.Equal(KernelState.Idle, h.Kernel.State);
        Assert.Equal("true", Execute(client, "x == nil", out var reply));
        Assert.Equal(1, (int?)reply["execution_count"]);
    }

    [Fact]
    public async Task InterruptAsyncAndStopAsyncDuringARunningCell()
    {
        var h = KernelHarness.Start(output);
        using var client = new RawClient(h.Kernel.Connection);
        client.WaitForReady(Timeout);

        var id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "while true do end" });
        Assert.NotNull(client.Receive(client.IoPub, id, Timeout)); // busy
        await Wait.UntilAsync(() => h.Kernel.State == KernelState.Busy, Timeout, "the kernel to be busy with the cell");
        Assert.Equal(KernelState.Busy, h.Kernel.State);
        await h.Kernel.InterruptAsync();
        var reply = client.Receive(client.Shell, id, Timeout);
        Assert.Equal("KeyboardInterrupt", (string?)reply?.Content["ename"]);

        var id2 = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "while true do end" });
        client.Receive(client.IoPub, id2, Timeout);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await h.Kernel.StopAsync(TimeSpan.FromSeconds(3)).WaitAsync(Timeout);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"stop took {sw.Elapsed}");
        Assert.Equal(KernelState.Dead, h.Kernel.State);
        Assert.False(File.Exists(h.ConnectionFile));
        await h.DisposeAsync();
    }
}
