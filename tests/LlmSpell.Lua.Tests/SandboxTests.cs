namespace LlmSpell.Lua.Tests;

public class SandboxTests
{
    private const string SandboxMessage = "disabled by the sandbox";

    [Theory]
    [InlineData("os.execute('echo hi')", "os.execute")]
    [InlineData("io.popen('ls')", "io.popen")]
    [InlineData("package.loadlib('libc.so.6', 'puts')", "package.loadlib")]
    [InlineData("collectgarbage('stop')", "collectgarbage('stop')")]
    [InlineData("collectgarbage('generational')", "collectgarbage('generational')")]
    public void DangerousFunctionsAreDisabled(string code, string name)
    {
        using var s = Lua.NewSession();
        var e = s.Fails(code);
        Assert.Contains(name, e.Value);
        Assert.Contains(SandboxMessage, e.Value);
        Assert.Contains("allow_unsafe_lua = true", e.Value);
    }

    [Fact]
    public void DebugLibraryIsUnreachable()
    {
        using var s = Lua.NewSession();
        Assert.Equal("nil", s.Ok("debug"));
        Assert.Equal("nil", s.Ok("package.loaded.debug"));
        Assert.Contains("module 'debug' not found", s.Fails("require 'debug'").Value);
    }

    [Fact]
    public void NativeModuleLoadingIsRemoved()
    {
        using var s = Lua.NewSession();
        Assert.Equal("2\t", s.Ok("return #package.searchers, package.cpath"));
        Assert.Contains("not found", s.Fails("require 'socket.core'").Value);
    }

    [Fact]
    public void LoadAcceptsTextButRejectsBinaryChunks()
    {
        using var s = Lua.NewSession();
        Assert.Equal("3", s.Ok("load('return 1 + 2')()"));
        Assert.Equal("nil\ttrue", s.Ok("local f, e = load(string.dump(function() return 1 end), 'x', 'b') return f, e:find('binary') ~= nil"));
        Assert.Equal("5", s.Ok("load('return v', 'chunk', 't', {v = 5})()"));
        Assert.Equal("nil", s.Ok("loadstring"));
    }

    [Fact]
    public void OsExitNeverTerminatesTheProcess()
    {
        foreach (bool unsafeMode in new[] { false, true })
        {
            using var s = Lua.NewSession(unsafeMode);
            var e = s.Fails("os.exit(1)");
            Assert.Contains("os.exit", e.Value);
            Assert.Equal("alive", s.Ok("'alive'"));
            Assert.Equal("LuaError", s.Fails("os.exit(true, true)").Name);
        }
    }

    [Fact]
    public void FilesInsideTheWorkingDirectoryAreAccessible()
    {
        using var wd = new TempDir();
        using var s = Lua.NewSession(wd: wd.Path);
        s.Ok("local f = assert(io.open('data.txt', 'w')) f:write('one\\ntwo\\n') f:close()");
        Assert.True(File.Exists(Path.Combine(wd.Path, "data.txt")));
        Assert.Equal("one,two", s.Ok("local t = {} for l in io.lines('data.txt') do t[#t+1] = l end return table.concat(t, ',')"));
        Assert.Equal("one", s.Ok("local f = io.open('sub/../data.txt') local l = f:read('l') f:close() return l"));
        s.Ok("assert(os.rename('data.txt', 'renamed.txt'))");
        Assert.True(File.Exists(Path.Combine(wd.Path, "renamed.txt")));
        s.Ok("assert(os.remove('renamed.txt'))");
        Assert.False(File.Exists(Path.Combine(wd.Path, "renamed.txt")));
    }

    [Fact]
    public void OutputAndInputCanBeRedirectedToFilesInsideTheWorkingDirectory()
    {
        using var wd = new TempDir();
        using var s = Lua.NewSession(wd: wd.Path);
        var host = new RecordingHost();
        Assert.Equal("true", s.Ok("local f = io.output('out.txt') io.write('a', 1, '\\n') f:close() return io.output() == f", host));
        Assert.Equal("a1\n", File.ReadAllText(Path.Combine(wd.Path, "out.txt")));
        s.Ok("io.output(io.stdout) io.write('back')", host);
        Assert.Equal("back", host.Stdout);
        Assert.Equal("a1\tnil", s.Ok("io.input('out.txt') local l = io.read() local rest = io.read() io.input():close() io.input(io.stdin) return l, rest"));
        Assert.Equal("true", s.Ok("io.input() == io.stdin"));
        var e = s.Fails("local _ = io.output('missing-dir/x.txt')");
        Assert.StartsWith($"[string \"cell\"]:1: {wd.Path}/missing-dir/x.txt: No such file", e.Value);
        Assert.StartsWith("[string \"cell\"]:1: access to '/etc/passwd' is denied", s.Fails("local _ = io.input('/etc/passwd')").Value);
    }

    [Fact]
    public void ModulesAndChunksInsideTheWorkingDirectoryLoad()
    {
        using var wd = new TempDir();
        File.WriteAllText(Path.Combine(wd.Path, "mymod.lua"), "return { answer = 42 }");
        File.WriteAllText(Path.Combine(wd.Path, "script.lua"), "return 'ran'");
        using var s = Lua.NewSession(wd: wd.Path);
        Assert.Equal("42", s.Ok("require('mymod').answer"));
        Assert.Equal("ran", s.Ok("dofile('script.lua')"));
        Assert.Equal("ran", s.Ok("loadfile('script.lua')()"));
    }

    [Theory]
    [InlineData("io.open('/etc/passwd')")]
    [InlineData("io.open('../outside.txt', 'w')")]
    [InlineData("io.lines('/etc/passwd')")]
    [InlineData("io.output('/tmp/llmspell-escape.txt')")]
    [InlineData("io.input('/etc/passwd')")]
    [InlineData("dofile('/etc/passwd')")]
    [InlineData("loadfile('/etc/hostname')")]
    [InlineData("os.remove('/tmp/whatever')")]
    [InlineData("os.rename('x', '/tmp/y')")]
    public void PathsOutsideTheWorkingDirectoryAreRejected(string code)
    {
        using var wd = new TempDir();
        using var s = Lua.NewSession(wd: wd.Path);
        var e = s.Fails(code);
        Assert.Contains("denied by the sandbox", e.Value);
    }

    [Fact]
    public void SymlinkEscapesAreRejected()
    {
        using var wd = new TempDir();
        using var outside = new TempDir();
        File.WriteAllText(Path.Combine(outside.Path, "secret.txt"), "secret");
        Directory.CreateSymbolicLink(Path.Combine(wd.Path, "link"), outside.Path);
        using var s = Lua.NewSession(wd: wd.Path);
        Assert.Contains("denied by the sandbox", s.Fails("io.open('link/secret.txt')").Value);
    }

    [Fact]
    public void SafeGarbageCollectorOptionsWork()
    {
        using var s = Lua.NewSession();
        Assert.Equal("true", s.Ok("collectgarbage('count') > 0"));
        Assert.Equal("0", s.Ok("collectgarbage()"));
        s.Ok("collectgarbage('step')");
    }

    [Fact]
    public void UnsafeModeExposesTheFullLibrary()
    {
        using var outside = new TempDir();
        using var wd = new TempDir();
        string file = Path.Combine(outside.Path, "f.txt").Replace("\\", "/");
        File.WriteAllText(file, "content");
        using var s = Lua.NewSession(unsafeMode: true, wd: wd.Path);
        Assert.Equal("function\tfunction\tfunction", s.Ok("return type(os.execute), type(io.popen), type(package.loadlib)"));
        Assert.Equal("true", s.Ok("os.execute()"));
        Assert.Equal("table\ttable", s.Ok("return type(debug), type(require('debug'))"));
        Assert.Equal("content", s.Ok($"local f = io.open('{file}') local c = f:read('a') f:close() return c"));
        s.Ok("collectgarbage('stop') collectgarbage('restart')");
        Assert.Equal("true", s.Ok("#package.searchers >= 4"));
    }

    [Fact]
    public void UnsafeModeStillStreamsOutputAndHonoursInterrupts()
    {
        using var s = Lua.NewSession(unsafeMode: true);
        var host = new RecordingHost();
        s.Ok("print('hi')", host);
        Assert.Equal("hi\n", host.Stdout);
        Assert.Equal("TimeoutError", s.Fails("while true do end", timeout: TimeSpan.FromMilliseconds(100)).Name);
    }

    [Fact]
    public void RefusalsCarryTheHintFromTheOptions()
    {
        using var wd = new TempDir();
        using var s = Lua.NewSession(wd: wd.Path);
        Assert.Equal("os.execute is disabled by the sandbox (set [security] allow_unsafe_lua = true to enable)", s.Fails("os.execute()").Value);
        Assert.Equal("collectgarbage('stop') is disabled by the sandbox (set [security] allow_unsafe_lua = true to enable)",
            s.Fails("collectgarbage('stop')").Value);
        Assert.EndsWith($"access to '/etc/passwd' is denied by the sandbox: it is outside the working directory '{wd.Path}' (set [security] allow_unsafe_lua = true to enable)",
            s.Fails("io.open('/etc/passwd')").Value);

        using var plain = new LuaSession(new LuaSessionOptions { UnsafeFunctionHint = "", WorkingDirectory = wd.Path });
        Assert.Equal("os.execute is disabled by the sandbox", plain.Fails("os.execute()").Value);
        Assert.EndsWith($"outside the working directory '{wd.Path}'", plain.Fails("io.open('/etc/passwd')").Value);

        using var neutral = new LuaSession(new LuaSessionOptions());
        var e = neutral.Fails("io.popen('ls')").Value;
        Assert.Equal("io.popen is disabled by the sandbox (enable unsafe mode to allow it)", e);
    }
}
