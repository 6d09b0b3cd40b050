namespace LlmSpell.Lua.Tests;

/// <summary>The path confinement on its own: plain file system, no Lua state.</summary>
public class SandboxPathsTests
{
    private const string Hint = " (hint)";

    private static SandboxPaths Confined(string root) => new(root, confine: true, Hint);

    private static string Denied(SandboxPaths paths, string path)
    {
        Assert.False(paths.TryResolve(path, out var full, out var error), $"'{path}' resolved to {full}");
        return error!;
    }

    [Fact]
    public void RelativePathsResolveAgainstTheRoot()
    {
        using var wd = new TempDir();
        var paths = Confined(wd.Path);
        Assert.True(paths.TryResolve("data.txt", out var full, out _));
        Assert.Equal(Path.Combine(wd.Path, "data.txt"), full);
        Assert.True(paths.TryResolve("sub/../data.txt", out full, out _));
        Assert.Equal(Path.Combine(wd.Path, "data.txt"), full);
        Assert.True(paths.TryResolve(".", out full, out _));
        Assert.Equal(wd.Path, full);
        Assert.True(paths.TryResolve(Path.Combine(wd.Path, "a", "b"), out full, out _));
        Assert.Equal(Path.Combine(wd.Path, "a", "b"), full);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../outside.txt")]
    [InlineData("sub/../../outside.txt")]
    [InlineData("/etc/passwd")]
    public void TraversalAndAbsolutePathsOutsideAreDenied(string path)
    {
        using var wd = new TempDir();
        var paths = Confined(wd.Path);
        Assert.Equal($"access to '{path}' is denied by the sandbox: it is outside the working directory '{wd.Path}'{Hint}", Denied(paths, path));
    }

    [Fact]
    public void ASiblingWithTheRootAsPrefixIsOutside()
    {
        using var wd = new TempDir();
        string root = Path.Combine(wd.Path, "dir");
        Assert.False(SandboxPaths.IsInside(Path.Combine(wd.Path, "dir2", "file"), root));
        Assert.False(SandboxPaths.IsInside(root + "2", root));
        Assert.True(SandboxPaths.IsInside(Path.Combine(root, "file"), root));
        Assert.True(SandboxPaths.IsInside(root, root));
        Assert.True(SandboxPaths.IsInside(Path.Combine(root, "file"), root + Path.DirectorySeparatorChar));
        Denied(Confined(root), "../dir2/file");
    }

    [Fact]
    public void LinksOutOfTheRootAreDenied_LinksWithinItAreNot()
    {
        using var wd = new TempDir();
        using var outside = new TempDir();
        File.WriteAllText(Path.Combine(outside.Path, "secret.txt"), "secret");
        Directory.CreateDirectory(Path.Combine(wd.Path, "real"));
        Directory.CreateSymbolicLink(Path.Combine(wd.Path, "out"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(wd.Path, "secret-link.txt"), Path.Combine(outside.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(wd.Path, "in"), Path.Combine(wd.Path, "real"));
        var paths = Confined(wd.Path);

        Denied(paths, "out/secret.txt");
        Denied(paths, "out/not-yet-created.txt");
        Denied(paths, "secret-link.txt");
        Assert.True(paths.TryResolve("in/file.txt", out _, out _));
    }

    [Fact]
    public void UnconfinedPathsMayGoAnywhere()
    {
        using var wd = new TempDir();
        var paths = new SandboxPaths(wd.Path, confine: false, Hint);
        Assert.True(paths.TryResolve("/etc/passwd", out var full, out _));
        Assert.Equal("/etc/passwd", full);
        Assert.True(paths.TryResolve("../x", out full, out _));
        Assert.Equal(Path.GetFullPath(Path.Combine(wd.Path, "..", "x")), full);
    }

    [Fact]
    public void NulIsAnInvalidPath()
    {
        using var wd = new TempDir();
        Assert.Equal("invalid path", Denied(Confined(wd.Path), "a\0b"));
        Assert.Equal("invalid path", Denied(new SandboxPaths(wd.Path, confine: false, Hint), "a\0b"));
    }
}
