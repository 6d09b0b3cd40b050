namespace LlmSpell.Lua.Tests;

/// <summary>
/// Completion and inspection run outside any cell, with no interrupt or limit armed: they must never run user
/// code. A test that finds a session wedged leaves it undisposed.
/// </summary>
public class IntrospectionSafetyTests
{
    private const string Hostile =
        "local function loop() while true do end end\n" +
        "hostile_mt = {__tostring = loop, __index = loop, __len = loop, __pairs = loop, __concat = loop, __eq = loop,\n" +
        "  __lt = loop, __le = loop, __call = loop, __name = 'Hostile'}\n" +
        "t = setmetatable({1, 2, name = 'x'}, hostile_mt)\n" +
        "k1, k2 = setmetatable({}, hostile_mt), setmetatable({}, hostile_mt)\n" +
        "keyed = {[k1] = 1, [k2] = 2, plain = 3}\n" +
        "nested = {inner = t}";

    private static LuaSession HostileSession(bool unsafeMode = false)
    {
        var s = Lua.NewSession(unsafeMode);
        s.Ok(Hostile);
        return s;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void InspectingAHostileTableReturnsARawDescription(int detail)
    {
        var s = HostileSession();
        string text = Lua.Bounded(() => s.Inspect("t", 1, detail), "inspect")!.PlainText;
        Assert.Contains("t: table", text);
        Assert.Contains("Array items: 2", text);
        Assert.Contains("name", text);
        if (detail > 0)
            Assert.Matches(@"Value: table: 0x[0-9a-f]+", text);
        string nested = Lua.Bounded(() => s.Inspect("nested", 1, 1), "inspect")!.PlainText;
        Assert.Matches(@"inner = table: 0x[0-9a-f]+", nested);
        s.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void HostileTablesAsKeysAreFormattedRaw(int detail)
    {
        var s = HostileSession();
        string text = Lua.Bounded(() => s.Inspect("keyed", 1, detail), "inspect")!.PlainText;
        Assert.Matches(@"\[table: 0x[0-9a-f]+\]", text);
        Assert.Contains("plain", text);
        s.Dispose();
    }

    [Fact]
    public void CompletingThroughHostileMetatablesReturnsPromptly()
    {
        var s = HostileSession();
        Assert.Equal(["name"], Lua.Bounded(() => s.Complete("t.na", 4), "complete").Matches);
        Assert.Empty(Lua.Bounded(() => s.Complete("t.x.", 4), "complete").Matches);
        Assert.Equal(["plain"], Lua.Bounded(() => s.Complete("keyed.", 6), "complete").Matches);
        Assert.Contains("name", Lua.Bounded(() => s.Complete("nested.inner.", 13), "complete").Matches);
        s.Dispose();
    }

    [Fact]
    public void InspectionNeverCallsTostring()
    {
        using var s = Lua.NewSession();
        s.Ok("big = setmetatable({}, {__tostring = function() called = true return string.rep('x', 2^31) end})");
        Assert.Matches(@"Value: table: 0x[0-9a-f]+", Lua.Bounded(() => s.Inspect("big", 1, 1), "inspect")!.PlainText);
        Assert.Equal("nil", s.Ok("called"));
    }

    [Fact]
    public void NumbersAreFormattedRawEvenWithAMetatable()
    {
        var s = Lua.NewSession(unsafeMode: true);
        s.Ok("debug.setmetatable(0, {__tostring = function() while true do end end}) n, f, g = 42, 1.5, 2.0");
        Assert.Contains("Value: 42", Lua.Bounded(() => s.Inspect("n", 1, 0), "inspect")!.PlainText);
        Assert.Contains("Value: 1.5", Lua.Bounded(() => s.Inspect("f", 1, 0), "inspect")!.PlainText);
        Assert.Contains("Value: 2.0", Lua.Bounded(() => s.Inspect("g", 1, 0), "inspect")!.PlainText);
        s.Ok("debug.setmetatable(0, nil)");
        s.Dispose();
    }
}
