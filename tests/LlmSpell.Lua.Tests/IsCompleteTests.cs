using LlmSpell.Lua;

namespace LlmSpell.Lua.Tests;

public class IsCompleteTests
{
    [Theory]
    [InlineData("x = 1")]
    [InlineData("1 + 2")]
    [InlineData("for i = 1, 3 do print(i) end")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-- just a comment")]
    [InlineData("print('a')\nprint('b')")]
    public void ValidCodeIsComplete(string code)
    {
        using var s = Lua.NewSession();
        Assert.Equal(CompletenessStatus.Complete, s.IsComplete(code).Status);
    }

    [Theory]
    [InlineData("for i=1,3 do", 1)]
    [InlineData("function f()", 1)]
    [InlineData("x = {", 1)]
    [InlineData("if x then\n  while true do", 2)]
    [InlineData("s = [[long\nstring", 1)]
    [InlineData("--[[ open comment", 1)]
    [InlineData("x = \"abc", 1)]
    [InlineData("print(1 +", 1)]
    [InlineData("repeat", 1)]
    [InlineData("local t = {\n  a = function()", 2)]
    public void UnfinishedCodeIsIncomplete(string code, int depth)
    {
        using var s = Lua.NewSession();
        var r = s.IsComplete(code);
        Assert.Equal(CompletenessStatus.Incomplete, r.Status);
        Assert.Equal(new string(' ', 2 * depth), r.Indent);
    }

    [Theory]
    [InlineData("x = = 1")]
    [InlineData("end")]
    [InlineData("for for")]
    [InlineData("x = 1 )")]
    public void BrokenCodeIsInvalid(string code)
    {
        using var s = Lua.NewSession();
        Assert.Equal(CompletenessStatus.Invalid, s.IsComplete(code).Status);
    }

    [Fact]
    public void IsCompleteDoesNotRunCode()
    {
        using var s = Lua.NewSession();
        Assert.Equal(CompletenessStatus.Complete, s.IsComplete("touched = true").Status);
        Assert.Equal("nil", s.Ok("touched"));
    }
}
