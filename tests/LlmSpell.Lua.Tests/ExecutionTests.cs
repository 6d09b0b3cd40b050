using LlmSpell.Lua;

namespace LlmSpell.Lua.Tests;

public class ExecutionTests
{
    [Fact]
    public void BareExpressionYieldsItsValue()
    {
        using var s = Lua.NewSession();
        Assert.Equal("3", s.Ok("1+2"));
        Assert.Equal("0.5", s.Ok("1/2"));
        Assert.Equal("hello", s.Ok("'hel' .. 'lo'"));
    }

    [Fact]
    public void MultipleReturnsAreJoinedByTab()
    {
        using var s = Lua.NewSession();
        Assert.Equal("1\t2\tx\tnil", s.Ok("return 1, 2, 'x', nil"));
    }

    [Fact]
    public void StatementsProduceNoResult()
    {
        using var s = Lua.NewSession();
        var r = s.Run("local a = 1; a = a + 1");
        Assert.True(r.Success);
        Assert.Null(r.ResultText);
        Assert.Null(s.Run("print('x')").ResultText);
    }

    [Fact]
    public void GlobalsPersistBetweenExecutions_LocalsDoNot()
    {
        using var s = Lua.NewSession();
        s.Ok("counter = 10\nfunction bump(n) counter = counter + n end\nlocal hidden = 1");
        s.Ok("bump(5)");
        Assert.Equal("15", s.Ok("counter"));
        Assert.Equal("nil", s.Ok("hidden"));
    }

    [Fact]
    public void TablesArePrettyPrinted()
    {
        using var s = Lua.NewSession();
        Assert.Equal("{1, 2, 3}", s.Ok("{1, 2, 3}"));
        Assert.Equal("{a = 1, b = \"x\"}", s.Ok("{b = 'x', a = 1}"));
        Assert.Equal("{}", s.Ok("{}"));
        Assert.Equal("{1, {2, {3, {4, {...}}}}}", s.Ok("{1, {2, {3, {4, {5, {6}}}}}}"));
        Assert.Equal("{[1.5] = true, [\"with space\"] = \"a\\nb\"}", s.Ok("{[1.5] = true, ['with space'] = 'a\\nb'}"));
    }

    [Fact]
    public void CyclicAndHugeTablesAreSafe()
    {
        using var s = Lua.NewSession();
        Assert.Equal("{name = \"t\", self = <cycle>}", s.Ok("local t = {name = 't'} t.self = t return t"));
        string big = s.Ok("local t = {} for i = 1, 10000 do t[i] = i end return t");
        Assert.EndsWith(", ...}", big);
        Assert.True(big.Length < 1000);
    }

    [Fact]
    public void TostringMetamethodIsUsedForDisplay()
    {
        using var s = Lua.NewSession();
        Assert.Equal("Point(1, 2)", s.Ok("setmetatable({x=1,y=2}, {__tostring = function(p) return 'Point(' .. p.x .. ', ' .. p.y .. ')' end})"));
    }

    [Fact]
    public void PrintStreamsEachCallBeforeTheCellFinishes()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost("go");
        s.Ok("print('first') print('second', 2, nil) io.read() print('third')", host);
        Assert.Equal(["first\n", "second\t2\tnil\n", "third\n"], host.Calls.Select(c => c.Text));
        // When the script blocked on input, both earlier prints had already been delivered separately.
        Assert.Equal([2], host.StdoutCallsAtReadInput);
    }

    [Fact]
    public void IoWriteAndStandardFilesGoToTheHost()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost();
        s.Ok("io.write('a', 1, ' ', 2.5) io.stdout:write('b'):write('c') io.stderr:write('oops') io.write(1.0)", host);
        Assert.Equal([("stdout", "a1 2.5"), ("stdout", "b"), ("stdout", "c"), ("stderr", "oops"), ("stdout", "1")], host.Calls);
        Assert.Equal("file", s.Ok("io.type(io.stdout)"));
    }

    [Fact]
    public void UnicodeRoundTrips()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost();
        s.Ok("print('héllo ✓')", host);
        Assert.Equal("héllo ✓\n", host.Stdout);
        Assert.Equal("✓", s.Ok("'✓'"));
    }

    [Fact]
    public void IoReadSupportsCommonFormats()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost("line one", "line two", "42", "everything", "abcdef", "x", "y");
        Assert.Equal("line one\tline two\n\t42\teverything",
            s.Ok("local a = io.read() local b = io.read('L') local n = io.read('n') local all = io.read('a') return a, b, n, all", host));
        Assert.Equal("abc\tx\ty", s.Ok("return io.read(3), io.read('*l', 'l')", host));
        // No more input: nil for lines, "" for "a".
        Assert.Equal("nil\t", s.Ok("return io.read('l'), io.read('a')", host));
        Assert.Equal("number", s.Ok("type(math.pi)"));
    }

    [Fact]
    public void IoLinesWithoutFileReadsFromTheHost()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost("a", "b");
        Assert.Equal("a,b", s.Ok("local t = {} for l in io.lines() do t[#t+1] = l end return table.concat(t, ',')", host));
    }

    [Fact]
    public void EvaluateReturnsDisplayFormWithoutOutput()
    {
        using var s = Lua.NewSession();
        s.Ok("x = 21");
        var r = s.Evaluate("x * 2");
        Assert.True(r.Success);
        Assert.Equal("42", r.ResultText);
        Assert.Equal("{1, 2}", s.Evaluate("{1, 2}").ResultText);
        Assert.True(s.Evaluate("print('quiet')").Success);
        var bad = s.Evaluate("x = 3");
        Assert.False(bad.Success);
        Assert.Equal("SyntaxError", bad.Error!.Name);
        Assert.Equal("LuaError", s.Evaluate("nosuch.field").Error!.Name);
    }

    [Fact]
    public void LuaVersionIsTheNativeRelease()
    {
        Assert.Matches(@"^5\.4\.\d+$", LuaSession.LuaVersion);
        using var s = Lua.NewSession();
        Assert.Equal("Lua 5.4", s.Ok("_VERSION"));
    }

    [Fact]
    public void DisposeIsIdempotent()
    {
        var s = Lua.NewSession();
        s.Ok("x = 1");
        s.Dispose();
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Execute("1", new RecordingHost(), TimeSpan.Zero));
    }

    [Fact]
    public void CoroutinesWork()
    {
        using var s = Lua.NewSession();
        Assert.Equal("1\t2\t3", s.Ok("local g = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) return g(), g(), g()"));
        Assert.Equal("true\t5", s.Ok("local co = coroutine.create(function(a) return a + 1 end) return coroutine.resume(co, 4)"));
    }

    [Fact]
    public void HostExceptionsBecomeLuaErrors()
    {
        using var s = Lua.NewSession();
        var host = new RecordingHost { OnStdout = _ => throw new InvalidOperationException("socket closed") };
        var e = s.Fails("print('x')", host);
        Assert.Contains("socket closed", e.Value);
        Assert.Equal("2", s.Ok("1+1"));
    }
}

public class ManyResultsTests
{
    [Fact]
    public void ThousandsOfReturnValuesAreDisplayedBounded()
    {
        using var s = Lua.NewSession();
        string r = s.Ok("local t = {} for i = 1, 50000 do t[i] = i end return table.unpack(t)");
        Assert.StartsWith("1\t2\t3\t", r);
        Assert.EndsWith("\t...", r);
        Assert.True(r.Length < 30000);
    }
}

public class TrailingExpressionTests
{
    [Theory]
    [InlineData("t = {1, 2, 3}\n#t", "3")]
    [InlineData("function f(x)\n  return x * 2\nend\nf(21)", "42")]
    [InlineData("local a = 40\nlocal b = 2\na + b", "42")]
    public void The_last_expression_line_is_the_result(string code, string expected)
    {
        using var s = Lua.NewSession();
        Assert.Equal(expected, s.Ok(code));
    }

    [Theory]
    [InlineData("s = \"a\"\ns:upper();")]
    [InlineData("for i = 1, 3 do\n  y = i\nend")]
    [InlineData("z = 1 +\n2")]
    public void Statements_and_semicolon_endings_give_no_result(string code)
    {
        using var s = Lua.NewSession();
        var outcome = s.Execute(code, new RecordingHost(), TimeSpan.Zero);
        Assert.True(outcome.Success, outcome.Error?.Value);
        Assert.Null(outcome.ResultText);
    }

    [Fact]
    public void Errors_keep_their_line_numbers()
    {
        using var s = Lua.NewSession();
        var e = s.Fails("x = 1\ny = 2\nnil_value.field");
        Assert.Contains(":3:", e.Value);
    }
}
