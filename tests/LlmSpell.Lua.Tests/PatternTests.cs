using System.Diagnostics;
using LlmSpell.Lua;

namespace LlmSpell.Lua.Tests;

/// <summary>Pattern functions run on the managed matcher, which interrupts, time and instruction limits stop.</summary>
public class PatternLimitTests
{
    // Backtracks for hours in the C matcher: each extra "a*" multiplies the time by about 4.
    private const string Subject = "string.rep('a', 30)";
    private const string Hostile = "string.rep('a*', 30) .. 'b'";

    public static TheoryData<string> HostileCalls => new()
    {
        $"string.find({Subject}, {Hostile})",
        $"string.match({Subject}, {Hostile})",
        $"({Subject}):match({Hostile})",
        $"for m in string.gmatch({Subject}, {Hostile}) do end",
        $"string.gsub({Subject}, {Hostile}, 'x')",
        $"pcall(string.find, {Subject}, {Hostile}) return 'swallowed'",
        // Plain search is quadratic in C (memchr + memcmp at every candidate): about 10^12 byte compares here.
        "string.find(string.rep('a', 2000000), string.rep('a', 1000000) .. 'b', 1, true)",
    };

    /// <summary>Runs on another thread; null when it is still running after the wait (the pattern wedged).</summary>
    private static ExecutionOutcome? Bounded(Func<ExecutionOutcome> run, TimeSpan wait, Action? whileRunning = null)
    {
        var task = Task.Factory.StartNew(run, TaskCreationOptions.LongRunning);
        whileRunning?.Invoke();
        return task.Wait(wait) ? task.Result : null;
    }

    [Theory]
    [MemberData(nameof(HostileCalls))]
    public void InterruptStopsABacktrackingPattern(string call)
    {
        // Not disposed while a wedged execution may still be inside the state.
        var s = Lua.NewSession();
        using var started = new ManualResetEventSlim();
        var host = new RecordingHost { OnStdout = _ => started.Set() };
        var sw = new Stopwatch();
        var r = Bounded(() => s.Execute("print('go'); " + call, host, TimeSpan.Zero), TimeSpan.FromSeconds(5), () =>
        {
            Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "script did not start");
            Thread.Sleep(200);
            sw.Start();
            s.Interrupt();
        });
        Assert.True(r is not null, "interrupt did not stop the pattern");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"interrupt took {sw.Elapsed.TotalMilliseconds} ms");
        Assert.False(r.Success);
        Assert.Equal("KeyboardInterrupt", r.Error!.Name);
        Assert.Equal("execution interrupted", r.Error.Value);
        Assert.Equal("2", s.Ok("1+1"));
        s.Dispose();
    }

    [Theory]
    [MemberData(nameof(HostileCalls))]
    public void TimeoutStopsABacktrackingPattern(string call)
    {
        // Not disposed while a wedged execution may still be inside the state.
        var s = Lua.NewSession();
        var sw = Stopwatch.StartNew();
        var r = Bounded(() => s.Run(call, timeout: TimeSpan.FromMilliseconds(300)), TimeSpan.FromSeconds(5));
        Assert.True(r is not null, "the time limit did not stop the pattern");
        Assert.Equal("TimeoutError", r.Error!.Name);
        Assert.Contains("300 ms", r.Error.Value);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3));
        s.Dispose();
    }

    [Theory]
    [MemberData(nameof(HostileCalls))]
    public void InstructionLimitCountsMatcherSteps(string call)
    {
        // Not disposed while a wedged execution may still be inside the state.
        var s = Lua.NewSession(instructions: 1_000_000);
        var r = Bounded(() => s.Run(call), TimeSpan.FromSeconds(5));
        Assert.True(r is not null, "the instruction limit did not stop the pattern");
        Assert.Equal("InstructionLimitError", r.Error!.Name);
        Assert.Contains("1000000", r.Error.Value);
        // Ordinary pattern work stays well inside the budget.
        Assert.Equal("3", s.Ok("select(2, ('a b c'):gsub('%w', '%0%0'))"));
        s.Dispose();
    }

    [Fact]
    public void UnsafeModeUsesTheManagedMatcherToo()
    {
        // Not disposed while a wedged execution may still be inside the state.
        var s = Lua.NewSession(unsafeMode: true);
        var r = Bounded(() => s.Run($"string.find({Subject}, {Hostile})", timeout: TimeSpan.FromMilliseconds(200)), TimeSpan.FromSeconds(5));
        Assert.True(r is not null, "the time limit did not stop the pattern");
        Assert.Equal("TimeoutError", r.Error!.Name);
        s.Dispose();
    }
}

public class PatternTests
{
    [Fact]
    public void PatternHeavyCodeOnALargeStringCompletes()
    {
        using var s = Lua.NewSession();
        var sw = Stopwatch.StartNew();
        Assert.Equal("20000\t20000\t20000\t100000", s.Ok("""
            local text = string.rep('wor1 ', 20000)
            local n = 0
            for w in text:gmatch('%a+%d') do n = n + 1 end
            local up, k = text:gsub('(%w+)', function(w) return w:upper() end)
            local _, k2 = text:gsub('%s', '_')
            return n, k, k2, #up
            """));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }

    [Fact]
    public void ErrorsNameTheCallerLikeTheCFunctions()
    {
        using var s = Lua.NewSession();
        var e = s.Fails("local x\nstring.find(x, 'a')");
        Assert.Equal("[string \"cell\"]:2: bad argument #1 to 'find' (string expected, got nil)", e.Value);
        Assert.Equal("[string \"cell\"]:1: bad argument #1 to 'gsub' (string expected, got no value)", s.Fails("local r = string.gsub()").Value);
        Assert.Equal("[string \"cell\"]:1: bad argument #1 to 'find' (string expected, got table)", s.Fails("local r = ('x'):find({})").Value);
        Assert.Equal("[string \"cell\"]:1: malformed pattern (missing ']')", s.Fails("local r = ('x'):match('[a')").Value);
        Assert.Equal("[string \"cell\"]:1: invalid use of '%' in replacement string", s.Fails("local r = ('x'):gsub('x', '%z')").Value);
        Assert.Equal("[string \"cell\"]:1: invalid replacement value (a table)", s.Fails("local r = ('x'):gsub('x', function() return {} end)").Value);
        Assert.Equal("[string \"cell\"]:3: malformed pattern (ends with '%')", s.Fails("local it = ('x'):gmatch('%')\n\nlocal r = it()").Value);
        Assert.DoesNotContain(e.Traceback, l => l.Contains("patterns.lua"));
    }

    [Fact]
    public void StringMethodsUseTheNewFunctions()
    {
        using var s = Lua.NewSession();
        Assert.Equal("true\ttrue", s.Ok("return ('x').find == string.find, debug == nil and getmetatable('').__index.gsub == string.gsub"));
        Assert.Equal("h-e-l-l-o\t2", s.Ok("('hello'):gsub('(%l)(%l)', '%1-%2'):gsub('(%l)(%l)', '%1-%2')"));
    }
}
