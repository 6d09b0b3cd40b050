using LlmSpell.Tools;

namespace LlmSpell.Tools.Tests.Tools;

/// <summary>file-operations cannot reach outside its working directory: not by '..', absolute paths or symbolic links.</summary>
public sealed class FileSandboxTests : IDisposable
{
    private const string Secret = "top secret";
    private readonly TempDir _temp = new();
    private readonly ToolContext _context;

    public FileSandboxTests()
    {
        Directory.CreateDirectory(_temp.File("work/sub"));
        Directory.CreateDirectory(_temp.File("outside"));
        File.WriteAllText(_temp.File("outside/secret.txt"), Secret);
        _context = ToolRunner.Context(_temp.File("work"));
    }

    private string Work(string relative) => Path.Combine(_temp.File("work"), relative);

    private Task<string> RefusalAsync(string operation, string path, string extra = "") =>
        ToolRunner.FailureAsync("file-operations", $$"""{"operation": "{{operation}}", "path": {{System.Text.Json.JsonSerializer.Serialize(path)}}{{extra}}}""", _context);

    private void AssertOutsideUntouched()
    {
        Assert.Equal(Secret, File.ReadAllText(_temp.File("outside/secret.txt")));
        Assert.Equal(["secret.txt"], Directory.GetFileSystemEntries(_temp.File("outside")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("read", "../outside/secret.txt")]
    [InlineData("read", "sub/../../outside/secret.txt")]
    [InlineData("list", "..")]
    [InlineData("exists", "../outside")]
    [InlineData("write", "../outside/new.txt")]
    [InlineData("mkdir", "../outside/newdir")]
    [InlineData("delete", "../outside/secret.txt")]
    public async Task DotDotCannotClimbOut(string operation, string path)
    {
        var message = await RefusalAsync(operation, path, ", \"content\": \"x\"");
        Assert.Equal($"file-operations: the path '{path}' leaves the working directory (through '..'); stay inside it.", message);
        AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("read")]
    [InlineData("write")]
    [InlineData("delete")]
    public async Task AbsolutePathsOutsideAreRefused(string operation)
    {
        var path = _temp.File("outside/secret.txt");
        Assert.Equal($"file-operations: the absolute path '{path}' is outside the working directory; use a path relative to it.",
            await RefusalAsync(operation, path, ", \"content\": \"x\""));
        Assert.StartsWith("file-operations: the absolute path '/etc/passwd' is outside", await RefusalAsync("read", "/etc/passwd"));
        AssertOutsideUntouched();
    }

    [Fact]
    public async Task AbsolutePathsInsideAreAllowed()
    {
        File.WriteAllText(Work("sub/in.txt"), "inside");
        Assert.Equal("inside", (await ToolRunner.ResultAsync("file-operations", $$"""{"operation": "read", "path": "{{Work("sub/in.txt")}}"}""", _context)).GetString());
    }

    [Fact]
    public async Task DotDotThatStaysInsideIsAllowed()
    {
        File.WriteAllText(Work("in.txt"), "inside");
        Assert.Equal("inside", (await ToolRunner.ResultAsync("file-operations", """{"operation": "read", "path": "sub/../in.txt"}""", _context)).GetString());
    }

    [Theory]
    [InlineData("read", "link-dir/secret.txt")]
    [InlineData("write", "link-dir/new.txt")]
    [InlineData("append", "link-dir/secret.txt")]
    [InlineData("list", "link-dir")]
    [InlineData("mkdir", "link-dir/newdir")]
    [InlineData("delete", "link-dir/secret.txt")]
    [InlineData("read", "link-file")]
    [InlineData("write", "link-file")]
    [InlineData("append", "link-file")]
    [InlineData("info", "link-file")]
    [InlineData("read", "relative-up/secret.txt")]
    [InlineData("read", "chain")]
    [InlineData("write", "dangling")]
    [InlineData("read", "sub/nested-up/secret.txt")]
    public async Task SymbolicLinksThatLeaveAreRefused(string operation, string path)
    {
        Directory.CreateSymbolicLink(Work("link-dir"), _temp.File("outside"));
        File.CreateSymbolicLink(Work("link-file"), _temp.File("outside/secret.txt"));
        Directory.CreateSymbolicLink(Work("relative-up"), "../outside");
        Directory.CreateSymbolicLink(Work("sub/nested-up"), "../../outside");
        File.CreateSymbolicLink(Work("chain-2"), "link-file");
        File.CreateSymbolicLink(Work("chain"), "chain-2");
        File.CreateSymbolicLink(Work("dangling"), _temp.File("outside/created-through-link.txt"));

        var message = await RefusalAsync(operation, path, ", \"content\": \"x\"");
        Assert.Equal($"file-operations: the path '{path}' goes through a symbolic link that leads outside the working directory.", message);
        AssertOutsideUntouched();
    }

    [Fact]
    public async Task DeletingALinkThatPointsOutsideRemovesOnlyTheLink()
    {
        File.CreateSymbolicLink(Work("link-file"), _temp.File("outside/secret.txt"));
        Assert.True((await ToolRunner.ResultAsync("file-operations", """{"operation": "delete", "path": "link-file"}""", _context)).GetBoolean());
        Assert.False(File.Exists(Work("link-file")));
        AssertOutsideUntouched();
    }

    [Fact]
    public async Task LinksThatStayInsideAreFollowed()
    {
        File.WriteAllText(Work("sub/data.txt"), "inside");
        Directory.CreateSymbolicLink(Work("alias"), "sub");
        File.CreateSymbolicLink(Work("sub/up-and-back"), "../sub/data.txt");
        Assert.Equal("inside", (await ToolRunner.ResultAsync("file-operations", """{"operation": "read", "path": "alias/data.txt"}""", _context)).GetString());
        Assert.Equal("inside", (await ToolRunner.ResultAsync("file-operations", """{"operation": "read", "path": "sub/up-and-back"}""", _context)).GetString());
        await ToolRunner.RunAsync("file-operations", """{"operation": "write", "path": "alias/new.txt", "content": "via link"}""", _context);
        Assert.Equal("via link", File.ReadAllText(Work("sub/new.txt")));
    }

    [Fact]
    public async Task WorkingDirectoryReachedThroughALinkStillConfines()
    {
        Directory.CreateSymbolicLink(_temp.File("work-link"), _temp.File("work"));
        var context = ToolRunner.Context(_temp.File("work-link"));
        File.WriteAllText(Work("in.txt"), "inside");
        Assert.Equal("inside", (await ToolRunner.ResultAsync("file-operations", """{"operation": "read", "path": "in.txt"}""", context)).GetString());
        Assert.Equal("inside", (await ToolRunner.ResultAsync("file-operations",
            $$"""{"operation": "read", "path": "{{_temp.File("work-link/in.txt")}}"}""", context)).GetString());
        Assert.StartsWith("file-operations: the path '../outside/secret.txt' leaves the working directory",
            await ToolRunner.FailureAsync("file-operations", """{"operation": "read", "path": "../outside/secret.txt"}""", context));
    }

    [Fact]
    public async Task LinkLoopsAreRefused()
    {
        File.CreateSymbolicLink(Work("loop-a"), "loop-b");
        File.CreateSymbolicLink(Work("loop-b"), "loop-a");
        Assert.StartsWith("file-operations: too many levels of symbolic links at ", await RefusalAsync("read", "loop-a"));
    }

    public void Dispose() => _temp.Dispose();
}
