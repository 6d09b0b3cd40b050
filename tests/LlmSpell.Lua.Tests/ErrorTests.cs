namespace LlmSpell.Lua.Tests;

public class ErrorTests
{
    [Fact]
    public void SyntaxErrorsAreReportedAsSyntaxError()
    {
        using var s = Lua.NewSession();
        var e = s.Fails("x = = 1");
        Assert.Equal("SyntaxError", e.Name);
        Assert.StartsWith("[string \"cell\"]:1:", e.Value);
        Assert.Contains("near '='", e.Value);
        Assert.NotEmpty(e.Traceback);
    }

    [Fact]
    public void RuntimeErrorsCarryPositionAndTraceback()
    {
        using var s = Lua.NewSession();
        var e = s.Fails("local x = nil\nlocal y = x.field\nreturn y");
        Assert.Equal("LuaError", e.Name);
        Assert.Equal("[string \"cell\"]:2: attempt to index a nil value (local 'x')", e.Value);
        Assert.Equal("LuaError: " + e.Value, e.Traceback[0]);
        Assert.Contains("stack traceback:", e.Traceback);
        Assert.Contains(e.Traceback, l => l.Contains("in main chunk"));
        Assert.DoesNotContain(e.Traceback, l => l.Contains("[llmspell]"));
    }

    [Fact]
    public void TracebackShowsFunctionsFromEarlierCells()
    {
        using var s = Lua.NewSession();
        s.Ok("function explode() error('kaboom') end");
        var e = s.Fails("local function outer() explode() end\nouter()");
        Assert.Equal("[string \"cell\"]:1: kaboom", e.Value);
        Assert.Contains(e.Traceback, l => l.Contains("explode"));
        Assert.Contains(e.Traceback, l => l.Contains("outer"));
    }

    [Fact]
    public void TableErrorObjectsAreRendered()
    {
        using var s = Lua.NewSession();
        Assert.Equal("{code = 42, msg = \"bad\"}", s.Fails("error({code = 42, msg = 'bad'})").Value);
        Assert.Equal("custom!", s.Fails("error(setmetatable({}, {__tostring = function() return 'custom!' end}))").Value);
        Assert.Equal("nil", s.Fails("error()").Value);
        Assert.Equal("plain", s.Fails("error('plain', 0)").Value);
    }

    [Fact]
    public void OutputBeforeAnErrorIsDelivered_AndSessionContinues()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost();
        s.Fails("x = 1 print('before') error('stop') x = 2", host);
        Assert.Equal("before\n", host.Stdout);
        Assert.Equal("1", s.Ok("x"));
    }

    [Fact]
    public void ScriptPcallStillWorksForOrdinaryErrors()
    {
        using var s = Lua.NewSession();
        Assert.Equal("false\t[string \"cell\"]:1: inner", s.Ok("return pcall(function() error('inner') end)"));
        Assert.Equal("false\thandled: [string \"cell\"]:1: inner", s.Ok("return xpcall(function() error('inner') end, function(m) return 'handled: ' .. m end)"));
    }
}
