namespace LlmSpell.Lua.Tests;

public class TempFileTests
{
    private static string[] SystemTempLuaFiles() => Directory.GetFiles("/tmp", "lua_*");

    [Fact]
    public void TmpnameCreatesAFreshFileInsideTheWorkingDirectory()
    {
        using var wd = new TempDir();
        var before = SystemTempLuaFiles();
        using var s = Lua.NewSession(wd: wd.Path);
        string a = s.Ok("os.tmpname()");
        string b = s.Ok("os.tmpname()");
        Assert.NotEqual(a, b);
        foreach (var p in new[] { a, b })
        {
            Assert.StartsWith(wd.Path + Path.DirectorySeparatorChar, p);
            Assert.True(File.Exists(p), p);
        }
        Assert.Equal("hi", s.Ok("local p = os.tmpname() local f = io.open(p, 'w') f:write('hi') f:close() return io.open(p):read('a')"));
        Assert.Empty(SystemTempLuaFiles().Except(before));
    }

    [Fact]
    public void TmpfileIsInsideTheWorkingDirectoryAndGoneAfterTheSession()
    {
        using var wd = new TempDir();
        var before = SystemTempLuaFiles();
        var s = Lua.NewSession(wd: wd.Path);
        Assert.Equal("data", s.Ok("tf = io.tmpfile() tf:write('data') tf:seek('set') return tf:read('a')"));
        Assert.Equal("file", s.Ok("io.type(tf)"));
        // The open file is unlinked at once; the descriptor still names where it was created.
        if (OperatingSystem.IsLinux())
            Assert.Contains(Directory.GetFiles("/proc/self/fd"), fd => new FileInfo(fd).LinkTarget?.StartsWith(wd.Path + "/.lua_tmp_", StringComparison.Ordinal) == true);
        s.Dispose();
        Assert.Empty(Directory.GetFileSystemEntries(wd.Path));
        Assert.Empty(SystemTempLuaFiles().Except(before));
    }

    [Fact]
    public void UnsafeModeKeepsTheSystemTmpname()
    {
        using var s = Lua.NewSession(unsafeMode: true);
        string p = s.Ok("os.tmpname()");
        Assert.False(p.StartsWith(Environment.CurrentDirectory, StringComparison.Ordinal), p);
        File.Delete(p);
    }
}
