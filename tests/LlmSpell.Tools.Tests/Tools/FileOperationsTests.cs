using System.Text.Json;
using LlmSpell.Tools;

namespace LlmSpell.Tools.Tests.Tools;

/// <summary>file-operations inside its working directory: what each operation does and how it fails.</summary>
public sealed class FileOperationsTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly ToolContext _context;

    public FileOperationsTests()
    {
        Directory.CreateDirectory(_temp.File("work"));
        _context = ToolRunner.Context(_temp.File("work"));
    }

    private string Work(string relative) => Path.Combine(_temp.File("work"), relative);

    private Task<JsonElement> RunAsync(string arguments, ToolContext? context = null) =>
        ToolRunner.RunAsync("file-operations", arguments, context ?? _context);

    private Task<string> FailureAsync(string arguments, ToolContext? context = null) =>
        ToolRunner.FailureAsync("file-operations", arguments, context ?? _context);

    [Fact]
    public async Task WriteThenReadText()
    {
        var written = await RunAsync("""{"operation": "write", "path": "notes.txt", "content": "héllo\n"}""");
        Assert.True(written.GetProperty("result").GetBoolean());
        Assert.Equal(7, written.GetProperty("bytes_written").GetInt32());
        Assert.Equal("héllo\n", File.ReadAllText(Work("notes.txt")));

        var read = await RunAsync("""{"operation": "read", "path": "notes.txt"}""");
        Assert.Equal("héllo\n", read.GetProperty("result").GetString());
        Assert.Equal("notes.txt", read.GetProperty("path").GetString());
        Assert.Equal(7, read.GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task WriteReplacesAndAppendAdds()
    {
        await RunAsync("""{"operation": "write", "path": "log.txt", "content": "old"}""");
        await RunAsync("""{"operation": "write", "path": "log.txt", "content": "one\n"}""");
        var appended = await RunAsync("""{"operation": "append", "path": "log.txt", "content": "two\n"}""");
        Assert.Equal(8, appended.GetProperty("size").GetInt32());
        Assert.Equal("one\ntwo\n", File.ReadAllText(Work("log.txt")));
        await RunAsync("""{"operation": "append", "path": "new.txt", "content": "first"}""");
        Assert.Equal("first", File.ReadAllText(Work("new.txt")));
    }

    [Fact]
    public async Task BinaryContentGoesThroughBase64()
    {
        await RunAsync("""{"operation": "write", "path": "blob.bin", "content": "AAH/", "encoding": "base64"}""");
        Assert.Equal(new byte[] { 0, 1, 255 }, File.ReadAllBytes(Work("blob.bin")));
        Assert.Equal("AAH/", (await RunAsync("""{"operation": "read", "path": "blob.bin", "encoding": "base64"}""")).GetProperty("result").GetString());
        Assert.Equal("file-operations: the bytes are not UTF-8 text; set encoding to \"base64\".",
            await FailureAsync("""{"operation": "read", "path": "blob.bin"}"""));
    }

    [Fact]
    public async Task WriteIntoAMissingDirectoryNeedsCreateDirs()
    {
        Assert.Equal("file-operations: the directory 'a/b' does not exist; create it with mkdir or set create_dirs to true.",
            await FailureAsync("""{"operation": "write", "path": "a/b/c.txt", "content": "x"}"""));
        await RunAsync("""{"operation": "write", "path": "a/b/c.txt", "content": "x", "create_dirs": true}""");
        Assert.Equal("x", File.ReadAllText(Work("a/b/c.txt")));
    }

    [Fact]
    public async Task ListShowsSortedEntriesWithTheirTypes()
    {
        File.WriteAllText(Work("b.txt"), "12345");
        Directory.CreateDirectory(Work("a-dir"));
        File.CreateSymbolicLink(Work("c-link"), "b.txt");
        var listed = await RunAsync("""{"operation": "list", "path": "."}""");
        var entries = listed.GetProperty("result").EnumerateArray().ToList();
        Assert.Equal(["a-dir", "b.txt", "c-link"], entries.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["directory", "file", "symlink"], entries.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(5, entries[1].GetProperty("size").GetInt32());
        Assert.False(listed.GetProperty("truncated").GetBoolean());
        Assert.Equal(".", listed.GetProperty("path").GetString());
    }

    [Fact]
    public async Task ExistsAndInfo()
    {
        File.WriteAllText(Work("f.txt"), "abc");
        var exists = await RunAsync("""{"operation": "exists", "path": "f.txt"}""");
        Assert.True(exists.GetProperty("result").GetBoolean());
        Assert.Equal("file", exists.GetProperty("type").GetString());
        var missing = await RunAsync("""{"operation": "exists", "path": "nope"}""");
        Assert.False(missing.GetProperty("result").GetBoolean());
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("type").ValueKind);

        var info = (await RunAsync("""{"operation": "info", "path": "f.txt"}""")).GetProperty("result");
        Assert.Equal(3, info.GetProperty("size").GetInt32());
        Assert.Equal("file", info.GetProperty("type").GetString());
        Assert.InRange(DateTimeOffset.Parse(info.GetProperty("modified").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task MkdirCreatesParentsAndSaysWhetherItCreated()
    {
        Assert.True((await RunAsync("""{"operation": "mkdir", "path": "x/y/z"}""")).GetProperty("created").GetBoolean());
        Assert.True(Directory.Exists(Work("x/y/z")));
        Assert.False((await RunAsync("""{"operation": "mkdir", "path": "x/y"}""")).GetProperty("created").GetBoolean());
        File.WriteAllText(Work("file"), "");
        Assert.Equal("file-operations: 'file' is a file, not a directory.", await FailureAsync("""{"operation": "mkdir", "path": "file"}"""));
    }

    [Fact]
    public async Task DeleteFilesAndDirectories()
    {
        File.WriteAllText(Work("f.txt"), "");
        Assert.True((await RunAsync("""{"operation": "delete", "path": "f.txt"}""")).GetProperty("result").GetBoolean());
        Assert.False(File.Exists(Work("f.txt")));
        Assert.False((await RunAsync("""{"operation": "delete", "path": "f.txt"}""")).GetProperty("result").GetBoolean());

        Directory.CreateDirectory(Work("d/inner"));
        File.WriteAllText(Work("d/inner/f"), "");
        Assert.Equal("file-operations: the directory 'd' is not empty; set recursive to true to delete it with its contents.",
            await FailureAsync("""{"operation": "delete", "path": "d"}"""));
        Assert.True((await RunAsync("""{"operation": "delete", "path": "d", "recursive": true}""")).GetProperty("result").GetBoolean());
        Assert.False(Directory.Exists(Work("d")));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("sub/..")]
    [InlineData("")]
    public async Task TheWorkingDirectoryItselfCannotBeDeleted(string path)
    {
        var message = await FailureAsync($$"""{"operation": "delete", "path": "{{path}}", "recursive": true}""");
        Assert.True(message.Contains("the working directory itself cannot be deleted") || message.Contains("the path is empty"), message);
        Assert.True(Directory.Exists(_temp.File("work")));
    }

    [Theory]
    [InlineData("""{"operation": "read", "path": "missing.txt"}""", "file-operations: 'missing.txt' does not exist.")]
    [InlineData("""{"operation": "read", "path": "dir"}""", "file-operations: 'dir' is a directory; use operation list.")]
    [InlineData("""{"operation": "list", "path": "file.txt"}""", "file-operations: 'file.txt' is a file; use operation read or info.")]
    [InlineData("""{"operation": "write", "path": "dir", "content": "x"}""", "file-operations: 'dir' is a directory, not a file.")]
    [InlineData("""{"operation": "write", "path": "f"}""", "file-operations: operation 'write' needs the field 'content'.")]
    [InlineData("""{"operation": "info", "path": "missing"}""", "file-operations: 'missing' does not exist.")]
    [InlineData("""{"operation": "read", "path": ""}""", "file-operations: the path is empty; use \".\" for the working directory.")]
    [InlineData("""{"operation": "read", "path": "a\u0000b"}""", "file-operations: the path contains a NUL character.")]
    [InlineData("""{"operation": "write", "path": "f", "content": "!", "encoding": "base64"}""", "file-operations: field 'content' is not valid base64.")]
    public async Task BadInputIsExplained(string arguments, string message)
    {
        Directory.CreateDirectory(Work("dir"));
        File.WriteAllText(Work("file.txt"), "");
        Assert.Equal(message, await FailureAsync(arguments));
    }

    [Fact]
    public async Task FileSizeCapAppliesToReadWriteAndAppend()
    {
        var small = _context with { MaxFileBytes = 10 };
        Assert.Equal("file-operations: 'big.txt' would be 11 bytes, over the 10-byte file size cap; write less.",
            await FailureAsync("""{"operation": "write", "path": "big.txt", "content": "12345678901"}""", small));
        Assert.False(File.Exists(Work("big.txt")));

        await RunAsync("""{"operation": "write", "path": "log.txt", "content": "1234567"}""", small);
        Assert.Equal("file-operations: 'log.txt' would be 11 bytes, over the 10-byte file size cap; append less, or write to another file.",
            await FailureAsync("""{"operation": "append", "path": "log.txt", "content": "8901"}""", small));
        Assert.Equal("1234567", File.ReadAllText(Work("log.txt")));

        File.WriteAllText(Work("large.txt"), new string('x', 11));
        Assert.Equal("file-operations: 'large.txt' is 11 bytes, over the 10-byte file size cap; read a smaller file.",
            await FailureAsync("""{"operation": "read", "path": "large.txt"}""", small));
    }

    [Fact]
    public async Task MissingWorkingDirectoryIsExplained()
    {
        var gone = _temp.File("gone");
        Assert.Equal($"file-operations: the working directory '{gone}' does not exist; create it or configure another one.",
            await FailureAsync("""{"operation": "list", "path": "."}""", ToolRunner.Context(gone)));
    }

    public void Dispose() => _temp.Dispose();
}
