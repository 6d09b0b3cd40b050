namespace LlmSpell.Lua.Tests;

public class CompletionTests
{
    [Fact]
    public void GlobalNamesAndKeywords()
    {
        using var s = Lua.NewSession();
        var r = s.Complete("pri", 3);
        Assert.Equal(["print"], r.Matches);
        Assert.Equal((0, 3), (r.CursorStart, r.CursorEnd));
        var f = s.Complete("x = fu", 6);
        Assert.Contains("function", f.Matches);
        Assert.Equal(4, f.CursorStart);
        s.Ok("my_value = 1 my_table = {}");
        Assert.Equal(["my_table", "my_value"], s.Complete("my_", 3).Matches);
    }

    [Fact]
    public void LibraryFieldsAfterDot()
    {
        using var s = Lua.NewSession();
        var r = s.Complete("string.fo", 9);
        Assert.Equal(["format"], r.Matches);
        Assert.Equal((7, 9), (r.CursorStart, r.CursorEnd));
        var all = s.Complete("table.", 6);
        Assert.Contains("insert", all.Matches);
        Assert.Equal(all.Matches.OrderBy(m => m, StringComparer.Ordinal), all.Matches);
        Assert.Equal((6, 6), (all.CursorStart, all.CursorEnd));
    }

    [Fact]
    public void UserTablesAndNestedChains()
    {
        using var s = Lua.NewSession();
        s.Ok("t = {alpha = 1, beta = 2, also = {deep = {x = 1}}, ['not ident'] = 3}");
        Assert.Equal(["alpha", "also"], s.Complete("t.a", 3).Matches);
        Assert.Equal(["deep"], s.Complete("t.also.d", 8).Matches);
        Assert.Equal(["x"], s.Complete("t.also.deep.", 12).Matches);
        Assert.Empty(s.Complete("nosuch.x", 8).Matches);
    }

    [Fact]
    public void CursorInTheMiddleOfACall()
    {
        using var s = Lua.NewSession();
        string code = "print(string.fo, 1)";
        var r = s.Complete(code, 15);
        Assert.Equal(["format"], r.Matches);
        Assert.Equal((13, 15), (r.CursorStart, r.CursorEnd));
    }

    [Fact]
    public void MethodsAfterColonIncludeMetatableIndex()
    {
        using var s = Lua.NewSession();
        s.Ok("Account = {} Account.__index = Account function Account:deposit(v) end function Account:describe() end Account.rate = 3\n" +
             "acct = setmetatable({balance = 0}, Account)");
        var r = s.Complete("acct:de", 7);
        Assert.Equal(["deposit", "describe"], r.Matches);
        Assert.Equal((5, 7), (r.CursorStart, r.CursorEnd));
        // '.' lists data fields too, ':' only functions
        Assert.Contains("balance", s.Complete("acct.", 5).Matches);
        Assert.DoesNotContain("rate", s.Complete("acct:", 5).Matches);
    }

    [Fact]
    public void StringMethodsViaTheStringMetatable()
    {
        using var s = Lua.NewSession();
        var r = s.Complete("(\"x\"):up", 8);
        Assert.Equal(["upper"], r.Matches);
        Assert.Equal((6, 8), (r.CursorStart, r.CursorEnd));
        s.Ok("name = 'abc'");
        Assert.Equal(["upper"], s.Complete("name:up", 7).Matches);
    }

    [Fact]
    public void CompletionNeverRunsIndexFunctions()
    {
        using var s = Lua.NewSession();
        s.Ok("proxy = setmetatable({}, {__index = function(t, k) triggered = true return {} end})");
        Assert.Empty(s.Complete("proxy.x.y", 9).Matches);
        Assert.Empty(s.Complete("proxy:", 6).Matches);
        Assert.Equal("nil", s.Ok("triggered"));
    }

    [Fact]
    public void NoCompletionForNumbersOrConcatenation()
    {
        using var s = Lua.NewSession();
        Assert.Empty(s.Complete("x = 1.5", 7).Matches);
        Assert.Equal(["print"], s.Complete("'a'..pri", 8).Matches);
    }
}
