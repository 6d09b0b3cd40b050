namespace LlmSpell.Lua.Tests;

/// <summary>Lua runs __gc with hooks off, so a finalizer could not be interrupted or limited.</summary>
/// A test that finds a session wedged leaves it undisposed: closing it would run the finalizer again.
public class FinalizerTests
{
    private const string GcRefusal = "__gc finalizers are not allowed in the sandbox: they run with interrupts and limits off";

    [Fact]
    public void SetmetatableRefusesAGcField()
    {
        var s = Lua.NewSession();
        var e = Lua.Bounded(() => s.Fails("setmetatable({}, {__gc = function() while true do end end}) collectgarbage()"), "the cell");
        Assert.Contains(GcRefusal, e.Value);
        Assert.Contains(Lua.UnsafeHint, e.Value);
        Assert.Contains(GcRefusal, s.Fails("setmetatable({}, {__gc = true})").Value);
        Assert.Equal("alive", s.Ok("'alive'"));
        s.Dispose();
    }

    [Fact]
    public void AGcInheritedThroughIndexIsNotAFinalizer()
    {
        var s = Lua.NewSession();
        Assert.Equal("false", Lua.Bounded(() => s.Ok(
            "ran = false\n" +
            "local mt = setmetatable({}, {__index = {__gc = function() ran = true end}})\n" +
            "setmetatable({}, mt)\ncollectgarbage() collectgarbage()\nran"), "the cell"));
        s.Dispose();
    }

    [Fact]
    public void FileHandleFinalizersCannotBeReplaced()
    {
        using var wd = new TempDir();
        var s = Lua.NewSession(wd: wd.Path);
        var r = Lua.Bounded(() => s.Run(
            "local mt = getmetatable(io.open('f.txt', 'w'))\n" +
            "if type(mt) == 'table' then mt.__gc = function() while true do end end end\n" +
            "collectgarbage() collectgarbage()"), "the cell");
        Assert.Equal("alive", Lua.Bounded(() => s.Ok("'alive'"), "the next cell"));
        Assert.True(r.Success || !r.Error!.Value.Contains("__gc"), r.Error?.Value);
        s.Dispose();
    }

    [Fact]
    public void OrdinaryMetatablesStillWork()
    {
        using var s = Lua.NewSession();
        Assert.Equal("P(1)\t2", s.Ok(
            "local t = setmetatable({x = 1}, {__index = {y = 2}, __tostring = function(p) return 'P(' .. p.x .. ')' end})\n" +
            "return tostring(t), t.y"));
        Assert.Equal("nil", s.Ok("debug"));
    }

    [Fact]
    public void UnsafeModeKeepsFinalizers()
    {
        using var s = Lua.NewSession(unsafeMode: true);
        Assert.Equal("true", s.Ok("ran = false\nsetmetatable({}, {__gc = function() ran = true end})\ncollectgarbage() collectgarbage()\nran"));
    }
}
