using System.Diagnostics;
using LlmSpell.Lua;

namespace LlmSpell.Lua.Tests;

public class InterruptTests
{
    /// <summary>Runs code on another thread, waits until it prints, interrupts, returns outcome and latency.</summary>
    private static (ExecutionOutcome Outcome, TimeSpan Latency) RunAndInterrupt(LuaSession s, string code)
    {
        using var started = new ManualResetEventSlim();
        var host = new RecordingHost { OnStdout = _ => started.Set() };
        var task = Task.Factory.StartNew(() => s.Execute(code, host, TimeSpan.Zero), TaskCreationOptions.LongRunning);
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "script did not start");
        var sw = Stopwatch.StartNew();
        s.Interrupt();
        Assert.True(task.Wait(TimeSpan.FromSeconds(10)), "interrupt did not stop the script");
        return (task.Result, sw.Elapsed);
    }

    [Fact]
    public void InterruptStopsAnInfiniteLoopQuickly_AndKeepsState()
    {
        using var s = Lua.NewSession();
        var (outcome, latency) = RunAndInterrupt(s, "x = 42 print('started') while true do end");
        Assert.False(outcome.Success);
        Assert.Equal("KeyboardInterrupt", outcome.Error!.Name);
        Assert.True(latency < TimeSpan.FromMilliseconds(500), $"interrupt took {latency.TotalMilliseconds} ms");
        Assert.Equal("42", s.Ok("x"));
        Assert.Equal("2", s.Ok("1+1"));
    }

    [Fact]
    public void InterruptCannotBeSwallowedByPcall()
    {
        using var s = Lua.NewSession();
        var (outcome, _) = RunAndInterrupt(s, "print('go') while true do pcall(function() while true do end end) end");
        Assert.Equal("KeyboardInterrupt", outcome.Error!.Name);
    }

    [Fact]
    public void InterruptReachesLoopsInsideCoroutines()
    {
        using var s = Lua.NewSession();
        var (outcome, _) = RunAndInterrupt(s, "print('go') coroutine.wrap(function() while true do end end)()");
        Assert.Equal("KeyboardInterrupt", outcome.Error!.Name);
        var (outcome2, _) = RunAndInterrupt(s, "print('go') local co = coroutine.create(function() while true do end end) while true do coroutine.resume(co) end");
        Assert.Equal("KeyboardInterrupt", outcome2.Error!.Name);
    }

    [Fact]
    public void InterruptBreaksABlockingRead()
    {
        using var s = Lua.NewSession();
        var host = new InterruptingHost(s);
        var r = s.Execute("local l = io.read() return 'after read'", host, TimeSpan.Zero);
        Assert.False(r.Success);
        Assert.Equal("KeyboardInterrupt", r.Error!.Name);
    }

    [Fact]
    public void InterruptErrorNameComesFromTheOptions()
    {
        using var neutral = new LuaSession(new LuaSessionOptions());
        neutral.Interrupt();
        Assert.Equal("Interrupted", neutral.Fails("while true do end").Name);

        using var custom = new LuaSession(new LuaSessionOptions { InterruptErrorName = "Stop" });
        custom.Interrupt();
        var e = custom.Fails("while true do end");
        Assert.Equal("Stop", e.Name);
        Assert.Equal("Stop: execution interrupted", e.Traceback[0]);
    }

    [Fact]
    public void InterruptBeforeExecuteStopsIt_AndIsConsumed()
    {
        using var s = Lua.NewSession();
        s.Interrupt();
        Assert.Equal("KeyboardInterrupt", s.Fails("while true do end").Name);
        Assert.Equal("2", s.Ok("1+1"));
    }

    [Fact]
    public void ClearedInterruptDoesNotStopTheNextExecution()
    {
        using var s = Lua.NewSession();
        s.Interrupt();
        s.ClearInterrupt();
        Assert.Equal("2", s.Ok("1+1"));
    }

    private sealed class InterruptingHost(LuaSession session) : IExecutionHost
    {
        public void WriteStdout(string text) { }
        public void WriteStderr(string text) { }

        public string? ReadInput(string prompt, bool password)
        {
            session.Interrupt();
            return null;
        }
    }
}

public class LimitTests
{
    [Fact]
    public void TimeoutStopsLongRunningCode()
    {
        using var s = Lua.NewSession();
        var sw = Stopwatch.StartNew();
        var e = s.Fails("y = 7 while true do end", timeout: TimeSpan.FromMilliseconds(200));
        Assert.Equal("TimeoutError", e.Name);
        Assert.Contains("200 ms", e.Value);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3));
        Assert.Equal("7", s.Ok("y"));
    }

    [Fact]
    public void TimeoutDoesNotAffectQuickCode()
    {
        using var s = Lua.NewSession();
        Assert.True(s.Run("local n = 0 for i = 1, 1000 do n = n + i end return n", timeout: TimeSpan.FromSeconds(5)).Success);
    }

    [Fact]
    public void RunawayAllocationHitsMemoryLimit_ThenSessionRecovers()
    {
        using var s = Lua.NewSession(memory: 32L * 1024 * 1024);
        s.Ok("keep = 'still here'");
        var e = s.Fails("local t = {} while true do t[#t+1] = string.rep('x', 1000) .. #t end");
        Assert.Equal("MemoryError", e.Name);
        Assert.Contains("memory", e.Value);
        Assert.Equal("2", s.Ok("return 1+1"));
        Assert.Equal("still here", s.Ok("keep"));
        Assert.True(s.MemoryUsedBytes < 8L * 1024 * 1024, $"memory not reclaimed: {s.MemoryUsedBytes}");
    }

    [Fact]
    public void SingleHugeAllocationIsRefused()
    {
        using var s = Lua.NewSession(memory: 32L * 1024 * 1024);
        Assert.Equal("MemoryError", s.Fails("local s = string.rep('x', 1 << 30)").Name);
        Assert.Equal("ok", s.Ok("'ok'"));
    }

    [Fact]
    public void StackOverflowIsAnErrorAndSessionLivesOn()
    {
        using var s = Lua.NewSession(memory: 512L * 1024 * 1024);
        var e = s.Fails("local function f() return 1 + f() end f()");
        Assert.Contains("stack overflow", e.Value);
        Assert.Equal("2", s.Ok("return 1+1"));
    }

    [Fact]
    public void StackOverflowUnderATightMemoryLimitIsStillAnError()
    {
        using var s = Lua.NewSession(memory: 16L * 1024 * 1024);
        var r = s.Run("local function f() return 1 + f() end f()");
        Assert.False(r.Success);
        Assert.Equal("3", s.Ok("1+2"));
    }

    [Fact]
    public void InstructionLimitStopsLongLoops_PerExecution()
    {
        using var s = Lua.NewSession(instructions: 200_000);
        var e = s.Fails("for i = 1, 1e9 do end");
        Assert.Equal("InstructionLimitError", e.Name);
        Assert.Contains("200000", e.Value);
        // The budget is per execution: many small cells are fine.
        for (int i = 0; i < 5; i++)
            Assert.True(s.Run("local n = 0 for i = 1, 10000 do n = n + 1 end").Success);
    }
}

public class RobustnessTests
{
    [Fact]
    public void OversizedStringWithoutAMemoryLimitIsAnErrorNotACrash()
    {
        using var s = Lua.NewSession(memory: 0);
        var e = s.Fails("local s = string.rep('x', 1 << 45)");
        Assert.Contains("too large", e.Value);
        Assert.Equal("ok", s.Ok("'ok'"));
    }

    [Fact]
    public void CStackOverflowIsRecoverable()
    {
        using var s = Lua.NewSession();
        var e = s.Fails("setmetatable({}, {__index = function(t, k) return t[k] end}).x");
        Assert.Contains("stack overflow", e.Value);
        Assert.Equal("2", s.Ok("1+1"));
    }

    [Fact]
    public void FailingTostringMetamethodsDoNotBreakDisplayOrErrors()
    {
        using var s = Lua.NewSession();
        Assert.Equal("<table>", s.Ok("setmetatable({}, {__tostring = function() error('nope') end})"));
        Assert.Equal("<table>", s.Fails("error(setmetatable({}, {__tostring = function() error('nope') end}))").Value);
    }

    [Fact]
    public void SpecialValuesDisplayLikeTheRepl()
    {
        using var s = Lua.NewSession();
        Assert.Equal("inf", s.Ok("math.huge"));
        Assert.Equal("3", s.Ok("10 // 3"));
        Assert.Equal("1.0", s.Ok("1.0"));
        Assert.StartsWith("function: builtin", s.Ok("print").Replace("0x", "builtin"), StringComparison.Ordinal);
        Assert.Equal("5", s.Ok("local x <const> = 5 return x"));
    }
}
