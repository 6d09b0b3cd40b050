using LlmSpell.Service.Registry;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Registry;

public class ServiceRegistryTests
{
    private static ServiceRecord Record(string id, int pid) => new()
    {
        Id = id,
        Pid = pid,
        Port = 9555,
        UrlScheme = "http",
        Host = "127.0.0.1",
        ConnectionFile = "/var/lib/llmspell/kernel.json",
        PidFile = "/var/run/llmspell/kernel.pid",
        LogFile = "/var/log/llmspell/kernel.log",
        Started = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Version = "0.9.0",
    };

    [Fact]
    public void Register_writes_a_private_snake_case_json_record()
    {
        using var temp = new TempDir();
        var registry = new ServiceRegistry(temp.Combine("services"));

        var path = registry.Register(Record("abc123", Environment.ProcessId));

        Assert.Equal(temp.Combine("services", "abc123.json"), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var json = File.ReadAllText(path);
        Assert.Contains("\"connection_file\": \"/var/lib/llmspell/kernel.json\"", json);
        Assert.Contains("\"url_scheme\": \"http\"", json);
        Assert.Contains("\"started\": \"2025-01-02T03:04:05+00:00\"", json);
        Assert.Single(Directory.GetFiles(temp.Combine("services")));
    }

    [Fact]
    public void List_marks_the_test_host_alive_and_a_dead_pid_dead_and_Prune_removes_it()
    {
        using var temp = new TempDir();
        var registry = new ServiceRegistry(temp.Combine("services"));
        registry.Register(Record("alive", Environment.ProcessId));
        registry.Register(Record("dead", DeadProcess.Pid()));

        var entries = registry.List();

        Assert.Equal(["alive", "dead"], entries.Select(e => e.Record.Id));
        Assert.True(entries[0].IsAlive);
        Assert.False(entries[1].IsAlive);
        Assert.Equal(Record("alive", Environment.ProcessId), entries[0].Record);

        var pruned = registry.Prune();

        Assert.Equal("dead", Assert.Single(pruned).Id);
        Assert.Equal("alive", Assert.Single(registry.List()).Record.Id);
    }

    [Fact]
    public void Live_pid_of_an_unrelated_program_counts_as_dead()
    {
        using var temp = new TempDir();
        using var sleeper = System.Diagnostics.Process.Start("/bin/sleep", ["30"]);
        try
        {
            var registry = new ServiceRegistry(temp.Combine("services"));
            registry.Register(Record("recycled", sleeper.Id));

            Assert.False(Assert.Single(registry.List()).IsAlive);
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Fact]
    public void Unregister_and_corrupt_records()
    {
        using var temp = new TempDir();
        var registry = new ServiceRegistry(temp.Combine("services"), new RecordingLogger());
        registry.Register(Record("one", Environment.ProcessId));
        File.WriteAllText(temp.Combine("services", "broken.json"), "{ not json");

        Assert.Equal("one", Assert.Single(registry.List()).Record.Id);
        Assert.True(registry.Unregister("one"));
        Assert.False(registry.Unregister("one"));
        Assert.Empty(registry.List());
    }

    [Fact]
    public void Ids_cannot_escape_the_directory()
    {
        var registry = new ServiceRegistry("/tmp/unused-services");

        Assert.Throws<ArgumentException>(() => registry.PathFor("../etc/passwd"));
    }
}
