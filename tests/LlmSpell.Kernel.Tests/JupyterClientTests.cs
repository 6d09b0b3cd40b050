using System.Text.Json;
using LlmSpell.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests;

// End-to-end tests with the real Python jupyter_client (Debian python3-jupyter-client).
// Several classes so xunit runs them in parallel; each kernel has its own ports and temp dir.

public class JupyterClientProtocolTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KernelInfo()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "kernel_info", output);
        foreach (var channel in new[] { "shell", "control" })
        {
            var c = r.GetProperty(channel);
            Assert.Equal("ok", c.GetProperty("status").GetString());
            Assert.Equal("5.3", c.GetProperty("protocol_version").GetString());
            Assert.Equal("llmspell", c.GetProperty("implementation").GetString());
            Assert.Equal("lua", c.GetProperty("language_info").GetProperty("name").GetString());
            Assert.Equal("lua", c.GetProperty("language_info").GetProperty("pygments_lexer").GetString());
            Assert.Equal("Lua 5.4 manual", c.GetProperty("help_links")[0].GetProperty("text").GetString());
        }
        var states = r.GetProperty("iopub").EnumerateArray()
            .Where(m => m.GetProperty("msg_type").GetString() == "status")
            .Select(m => m.GetProperty("content").GetProperty("execution_state").GetString());
        Assert.Equal(["busy", "idle"], states);
        Assert.Equal("5.3", r.GetProperty("reply_header").GetProperty("version").GetString());
        Assert.Equal("kernel", r.GetProperty("reply_header").GetProperty("username").GetString());
    }

    [Fact]
    public async Task BadlySignedClientIsIgnoredWhileGoodClientWorks()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "bad_signature", output);
        var replies = r.GetProperty("raw_replies").EnumerateArray().ToList();
        // Only the first copy of the correctly signed message is answered; nothing for the bad ones.
        var replayed = r.GetProperty("replayed_msg_id").GetString();
        Assert.Single(replies, m => m.GetProperty("msg_type").GetString() == "kernel_info_reply");
        Assert.All(replies, m => Assert.Equal(replayed, m.GetProperty("parent").GetString()));
        Assert.Equal("ok", r.GetProperty("good_client").GetString());
        Assert.True(h.Observer.HasRejected("shell", "bad_signature"));
        Assert.True(h.Observer.HasRejected("shell", "no_delimiter"));
        Assert.True(h.Observer.HasRejected("shell", "too_few_frames"));
        Assert.True(h.Observer.HasRejected("shell", "bad_json"));
        Assert.True(h.Observer.HasRejected("shell", "replay"));
        Assert.DoesNotContain(h.Observer.Received, m => m.MsgType == "execute_request");
    }

    [Fact]
    public async Task ShutdownStopsKernelAndRemovesConnectionFile()
    {
        var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "shutdown", output);
        Assert.Equal("ok", r.GetProperty("reply").GetProperty("status").GetString());
        Assert.False(r.GetProperty("reply").GetProperty("restart").GetBoolean());
        await h.Kernel.Stopped.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KernelState.Dead, h.Kernel.State);
        Assert.False(File.Exists(h.ConnectionFile));
        await h.DisposeAsync();
    }

    [Fact]
    public async Task HeartbeatIsAnswered()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "kernel_info_only_hb", output);
        Assert.Equal("ping", r.GetProperty("echo").GetString());
    }
}

public class JupyterClientExecuteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ExecuteStreamsResultsAndErrors()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "execute", output);

        Assert.Equal("hello\n", r.GetProperty("stdout").GetString());
        var print = r.GetProperty("print");
        Assert.Equal("ok", print.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal(1, print.GetProperty("reply").GetProperty("execution_count").GetInt32());
        var types = print.GetProperty("iopub").EnumerateArray().Select(m => m.GetProperty("msg_type").GetString()).ToList();
        Assert.Equal("status", types[0]);
        Assert.Equal("execute_input", types[1]);
        Assert.Equal("status", types[^1]);

        Assert.Equal("3", r.GetProperty("add_result").GetString());
        Assert.Equal(2, r.GetProperty("add").GetProperty("reply").GetProperty("execution_count").GetInt32());

        var err = r.GetProperty("error").GetProperty("reply");
        Assert.Equal("error", err.GetProperty("status").GetString());
        Assert.Contains("boom", err.GetProperty("evalue").GetString());
        Assert.Contains(r.GetProperty("error").GetProperty("iopub").EnumerateArray(), m => m.GetProperty("msg_type").GetString() == "error");

        var silent = r.GetProperty("silent");
        Assert.DoesNotContain(silent.GetProperty("iopub").EnumerateArray(), m => m.GetProperty("msg_type").GetString() is "execute_input" or "execute_result");

        var after = r.GetProperty("after").GetProperty("reply");
        Assert.Equal(4, after.GetProperty("execution_count").GetInt32());
        var ue = after.GetProperty("user_expressions");
        Assert.Equal("ok", ue.GetProperty("a").GetProperty("status").GetString());
        Assert.Equal("2", ue.GetProperty("a").GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal("error", ue.GetProperty("bad").GetProperty("status").GetString());

        Assert.Equal(4, h.Kernel.ExecutionCount);
        Assert.Contains(h.Observer.Executions, e => e.Status == "error");
        Assert.Contains(h.Observer.Executions, e => e.Status == "ok");
    }

    [Fact]
    public async Task StopOnErrorAbortsQueuedRequests()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "stop_on_error", output);
        Assert.Equal("error", r.GetProperty("first").GetString());
        Assert.Equal("aborted", r.GetProperty("second").GetString());
        Assert.Equal("aborted", r.GetProperty("third").GetString());
        Assert.Equal("ok", r.GetProperty("after").GetString());
        Assert.Contains(h.Observer.Executions, e => e.Status == "aborted");
    }

    [Fact]
    public async Task StdinRoundTrip()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "stdin", output);
        Assert.False(r.GetProperty("input_request").GetProperty("password").GetBoolean());
        Assert.Equal("ok", r.GetProperty("reply").GetProperty("status").GetString());
        Assert.Contains("hello from stdin", r.GetProperty("x").GetString());
    }
}

public class JupyterClientInterruptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task InterruptStopsInfiniteLoopQuicklyAndKeepsState()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "interrupt", output);
        var elapsed = r.GetProperty("elapsed").GetDouble();
        output.WriteLine($"interrupt took {elapsed * 1000:F1} ms");
        Assert.True(elapsed < 1.0, $"interrupt took {elapsed:F3} s");
        Assert.Equal("error", r.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("ok", r.GetProperty("interrupt_reply").GetProperty("status").GetString());
        Assert.Equal("42", r.GetProperty("x").GetString());
    }

    [Fact]
    public async Task HeartbeatAnsweredDuringLongExecution()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "heartbeat", output);
        Assert.Equal(3, r.GetProperty("answered").GetArrayLength());
        Assert.Equal("error", r.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RestartGivesFreshState()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "restart", output);
        Assert.True(r.GetProperty("reply").GetProperty("restart").GetBoolean());
        Assert.Equal("5", r.GetProperty("before").GetString());
        Assert.Equal("true", r.GetProperty("after").GetString());
        Assert.Equal(1, r.GetProperty("count_after").GetInt32());
        Assert.False(h.Kernel.Stopped.IsCompleted);
        Assert.True(File.Exists(h.ConnectionFile));
    }
}

public class JupyterClientIntrospectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IsCompleteCompleteInspect()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "introspection", output);
        Assert.Equal("complete", r.GetProperty("complete_code").GetProperty("status").GetString());
        Assert.Equal("incomplete", r.GetProperty("incomplete_code").GetProperty("status").GetString());
        Assert.True(r.GetProperty("incomplete_code").TryGetProperty("indent", out _));
        Assert.Equal("invalid", r.GetProperty("invalid_code").GetProperty("status").GetString());

        var complete = r.GetProperty("complete");
        Assert.Equal("ok", complete.GetProperty("status").GetString());
        Assert.Contains("myvariable", complete.GetProperty("matches").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(0, complete.GetProperty("cursor_start").GetInt32());
        Assert.Equal(5, complete.GetProperty("cursor_end").GetInt32());
        Assert.True(complete.TryGetProperty("metadata", out _));
        var member = r.GetProperty("complete_member");
        Assert.Contains(member.GetProperty("matches").EnumerateArray().Select(m => m.GetString()), m => m!.EndsWith("format", StringComparison.Ordinal));

        var inspect = r.GetProperty("inspect");
        Assert.Equal("ok", inspect.GetProperty("status").GetString());
        Assert.True(inspect.GetProperty("found").GetBoolean());
        Assert.False(string.IsNullOrEmpty(inspect.GetProperty("data").GetProperty("text/plain").GetString()));
        Assert.False(r.GetProperty("inspect_missing").GetProperty("found").GetBoolean());
    }

    [Fact]
    public async Task History()
    {
        await using var h = KernelHarness.Start(output);
        var r = await PythonClient.RunScenarioAsync(h.ConnectionFile, "history", output);
        static List<(int, int, string)> Entries(JsonElement reply) => reply.GetProperty("history").EnumerateArray()
            .Select(e => (e[0].GetInt32(), e[1].GetInt32(), e[2].GetString()!)).ToList();
        Assert.Equal([(1, 2, "y = 2"), (1, 3, "x = 3")], Entries(r.GetProperty("tail")));
        Assert.Equal([(1, 1, "x = 1"), (1, 2, "y = 2")], Entries(r.GetProperty("range")));
        Assert.Equal([(1, 1, "x = 1"), (1, 3, "x = 3")], Entries(r.GetProperty("search")));
    }
}
