using System.IO.Compression;
using LlmSpell.Service.Logging;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Logging;

public class RotatingLogFileTests
{
    [Fact]
    public void Creates_directory_0750_and_file_0640()
    {
        using var temp = new TempDir();
        var path = temp.Combine("logs", "kernel.log");

        using (var log = new RotatingLogFile(new RotatingLogOptions { Path = path }))
        {
            log.Write("hello\n");
        }

        Assert.Equal("hello\n", File.ReadAllText(path));
        Assert.Equal(LogFileModes.Directory, File.GetUnixFileMode(temp.Combine("logs")));
        Assert.Equal(LogFileModes.File, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Rotates_by_size_and_keeps_max_backups()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.log");
        using var log = new RotatingLogFile(new RotatingLogOptions { Path = path, MaxSizeBytes = 10, MaxBackups = 2 });

        foreach (var line in new[] { "line-1\n", "line-2\n", "line-3\n", "line-4\n" })
        {
            log.Write(line);
        }

        Assert.Equal("line-4\n", File.ReadAllText(path));
        Assert.Equal("line-3\n", File.ReadAllText(path + ".1"));
        Assert.Equal("line-2\n", File.ReadAllText(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
    }

    [Fact]
    public void Compressed_rotation_produces_a_consistent_gz_sequence()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.log");
        using var log = new RotatingLogFile(new RotatingLogOptions { Path = path, MaxSizeBytes = 10, MaxBackups = 3, Compress = true });

        foreach (var line in new[] { "first-\n", "second\n", "third-\n" })
        {
            log.Write(line);
        }

        Assert.Equal("third-\n", File.ReadAllText(path));
        Assert.Equal("second\n", Gunzip(path + ".1.gz"));
        Assert.Equal("first-\n", Gunzip(path + ".2.gz"));
        Assert.False(File.Exists(path + ".1"));
        Assert.Equal(path + ".1.gz", log.BackupPath(1));
        if (ExternalTool.Require("gzip", "gzip"))
        {
            var gunzip = ExternalTool.Run("gzip", ["-dc", path + ".2.gz"]);
            Assert.Equal(0, gunzip.ExitCode);
            Assert.Equal("first-\n", gunzip.StandardOutput);
        }
    }

    [Fact]
    public void Reopen_after_external_move_writes_to_a_new_file()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.log");
        using var log = new RotatingLogFile(new RotatingLogOptions { Path = path });
        log.Write("before\n");

        File.Move(path, path + ".1");
        log.Write("still old\n");
        log.Reopen();
        log.Write("after\n");

        Assert.Equal("before\nstill old\n", File.ReadAllText(path + ".1"));
        Assert.Equal("after\n", File.ReadAllText(path));
        Assert.Equal(LogFileModes.File, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Concurrent_writers_lose_nothing()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.log");
        using (var log = new RotatingLogFile(new RotatingLogOptions { Path = path, MaxSizeBytes = 4096, MaxBackups = 50 }))
        {
            Parallel.For(0, 400, i => log.Write($"entry {i:D4}\n"));
        }

        var lines = Directory.GetFiles(temp.Path, "kernel.log*").SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(400, lines.Count);
        Assert.Equal(400, lines.Distinct().Count());
    }

    private static string Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}
