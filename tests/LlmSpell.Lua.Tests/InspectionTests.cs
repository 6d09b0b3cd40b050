namespace LlmSpell.Lua.Tests;

public class InspectionTests
{
    [Fact]
    public void LuaFunctionShowsSignatureAndSource()
    {
        using var s = Lua.NewSession();
        s.Ok("function add(a, b)\n  return a + b\nend\nfunction va(first, ...) end");
        string text = s.Inspect("add", 3, 0)!.PlainText;
        Assert.Contains("function (Lua)", text);
        Assert.Contains("add(a, b)", text);
        Assert.Contains("[string \"cell\"]:1-3", text);
        Assert.Contains("va(first, ...)", s.Inspect("va", 2, 0)!.PlainText);
    }

    [Fact]
    public void BuiltinsCarryDocs()
    {
        using var s = Lua.NewSession();
        string print = s.Inspect("print(", 6, 0)!.PlainText;
        Assert.Contains("built-in", print);
        Assert.Contains("print(...)", print);
        Assert.Contains("string.format(fmt, ...)", s.Inspect("string.format", 10, 0)!.PlainText);
        Assert.Contains("string.upper(s)", s.Inspect("(\"x\"):upper", 7, 0)!.PlainText);
        Assert.Contains("built-in function", s.Inspect("math.sqrt", 9, 0)!.PlainText);
        Assert.Contains("built-in function (sandboxed library wrapper)", s.Inspect("io.open", 7, 0)!.PlainText);
    }

    [Fact]
    public void TableSummary()
    {
        using var s = Lua.NewSession();
        s.Ok("t = setmetatable({10, 20, 30, name = 'x', size = 3}, {})");
        string text = s.Inspect("t", 1, 0)!.PlainText;
        Assert.Contains("table", text);
        Assert.Contains("Array items: 3", text);
        Assert.Contains("name, size", text);
        Assert.Contains("Metatable: yes", text);
        string detailed = s.Inspect("t", 1, 1)!.PlainText;
        Assert.Contains("name (string)", detailed);
        Assert.Contains("Value: {10, 20, 30", detailed);
    }

    [Fact]
    public void ScalarValues()
    {
        using var s = Lua.NewSession();
        s.Ok("n = 42 greeting = 'hi'");
        string text = s.Inspect("x = n + 1", 5, 0)!.PlainText;
        Assert.Contains("number", text);
        Assert.Contains("42", text);
        Assert.Contains("Length: 2", s.Inspect("greeting", 8, 0)!.PlainText);
    }

    [Fact]
    public void MissingNamesGiveNull()
    {
        using var s = Lua.NewSession();
        Assert.Null(s.Inspect("nothing_here", 5, 0));
        Assert.Null(s.Inspect("   ", 2, 0));
        Assert.Null(s.Inspect("string.nope", 10, 0));
    }

    [Fact]
    public void MethodsResolveThroughMetatables()
    {
        using var s = Lua.NewSession();
        s.Ok("C = {} C.__index = C function C:hello(who) end obj = setmetatable({}, C)");
        Assert.Contains("hello(self, who)", s.Inspect("obj:hello", 6, 0)!.PlainText);
    }
}
