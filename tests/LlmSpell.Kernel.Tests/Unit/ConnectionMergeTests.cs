using System.Text.Json;
using LlmSpell.Kernel.Startup;
using LlmSpell.Kernel.Tests.Support;

namespace LlmSpell.Kernel.Tests.Unit;

public class ConnectionMergeTests
{
    private static readonly KernelStartOptions Options = new()
    {
        Id = "k",
        Ip = "127.0.0.2",
        ShellPort = 1001, IopubPort = 1002, StdinPort = 1003, ControlPort = 1004, HbPort = 1005,
        Key = "options-key",
        ConnectionFilePath = "/tmp/k.json",
    };

    private static readonly ConnectionInfo FromFile = new()
    {
        Ip = "10.0.0.1",
        ShellPort = 2001, IopubPort = 2002, StdinPort = 2003, ControlPort = 2004, HbPort = 2005,
        Key = "file-key",
        KernelName = "launched",
    };

    [Fact]
    public void WithoutAFileTheOptionsAreUsedAndTheFileIsWritten()
    {
        var plan = ConnectionMerge.Merge(Options, null);
        var r = plan.Requested;
        Assert.True(plan.WritesFile);
        Assert.Equal(("127.0.0.2", 1001, 1002, 1003, 1004, 1005), (r.Ip, r.ShellPort, r.IopubPort, r.StdinPort, r.ControlPort, r.HbPort));
        Assert.Equal("options-key", r.Key);
        Assert.Equal(("tcp", "hmac-sha256", "llmspell"), (r.Transport, r.SignatureScheme, r.KernelName));
    }

    [Fact]
    public void WithoutAPathNoFileIsWritten() =>
        Assert.False(ConnectionMerge.Merge(Options with { ConnectionFilePath = null }, null).WritesFile);

    [Fact]
    public void TheLaunchersFileWinsAndIsNotRewritten()
    {
        var plan = ConnectionMerge.Merge(Options, FromFile with { SignatureScheme = "HMAC-SHA256", Transport = "TCP" });
        var r = plan.Requested;
        Assert.False(plan.WritesFile);
        Assert.Equal(("10.0.0.1", 2001, 2002, 2003, 2004, 2005), (r.Ip, r.ShellPort, r.IopubPort, r.StdinPort, r.ControlPort, r.HbPort));
        Assert.Equal(("file-key", "launched"), (r.Key, r.KernelName));
        Assert.Equal(("tcp", "hmac-sha256"), (r.Transport, r.SignatureScheme));
    }

    [Fact]
    public void AnotherSignatureSchemeIsRefusedWhenMessagesAreSigned()
    {
        var e = Assert.Throws<NotSupportedException>(() => ConnectionMerge.Merge(Options, FromFile with { SignatureScheme = "hmac-md5" }));
        Assert.Contains("hmac-md5", e.Message);
        var unsigned = ConnectionMerge.Merge(Options, FromFile with { SignatureScheme = "hmac-md5", Key = "" });
        Assert.Equal("", unsigned.Requested.Key);
    }

    [Fact]
    public void OnlyTcpIsSupported()
    {
        var e = Assert.Throws<NotSupportedException>(() => ConnectionMerge.Merge(Options, FromFile with { Transport = "ipc" }));
        Assert.Contains("ipc", e.Message);
    }

    [Fact]
    public void TheExistingFileIsReadOnlyWhenAskedForAndPresent()
    {
        using var dir = new TempDir();
        var path = dir.File("launched.json");
        var options = Options with { ConnectionFilePath = path, UseExistingConnectionFile = true };
        Assert.Null(ConnectionMerge.ReadExisting(options));

        File.WriteAllText(path, JsonSerializer.Serialize(FromFile));
        Assert.Null(ConnectionMerge.ReadExisting(options with { UseExistingConnectionFile = false }));
        Assert.Equal(FromFile, ConnectionMerge.ReadExisting(options));
    }
}
