using LlmSpell.Service.Daemon;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Daemon;

[Collection(SerialCollection.Name)]
public class DaemonChildTests
{
    [Fact]
    public void Notify_is_a_no_op_without_the_launcher()
    {
        Assert.Null(Environment.GetEnvironmentVariable(DaemonProtocol.NotifyVariable));
        Assert.False(DaemonChild.IsDaemonChild);
        Assert.False(DaemonChild.NotifyReady(Environment.ProcessId));
        Assert.False(DaemonChild.NotifyFailed("ignored"));
    }

    [Fact]
    public void Notify_writes_the_report_once_and_clears_the_variables()
    {
        using var temp = new TempDir();
        var notify = temp.Combine("ready.notify");
        Environment.SetEnvironmentVariable(DaemonProtocol.ChildVariable, "1");
        Environment.SetEnvironmentVariable(DaemonProtocol.NotifyVariable, notify);
        try
        {
            Assert.True(DaemonChild.IsDaemonChild);
            Assert.True(DaemonChild.NotifyFailed("port busy\r\nsecond line"));

            Assert.Equal("FAILED port busy\nsecond line\n", File.ReadAllText(notify));
            Assert.False(DaemonChild.IsDaemonChild);
            Assert.False(DaemonChild.NotifyReady(1));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DaemonProtocol.ChildVariable, null);
            Environment.SetEnvironmentVariable(DaemonProtocol.NotifyVariable, null);
        }
    }
}

[Collection(SerialCollection.Name)]
public class UmaskTests
{
    [Fact]
    public void Apply_sets_and_returns_the_previous_mask()
    {
        var original = Umask.Apply(0b000_111_111);
        try
        {
            Assert.Equal(0b000_111_111, Umask.Current());
        }
        finally
        {
            Umask.Apply(original);
        }

        Assert.Equal(original, Umask.Current());
    }

    [Theory]
    [InlineData("0o077", 63)]
    [InlineData("0077", 63)]
    [InlineData("027", 23)]
    public void Parse_reads_octal(string text, int expected) => Assert.Equal(expected, Umask.Parse(text));

    [Theory]
    [InlineData("0o78")]
    [InlineData("1777")]
    [InlineData("")]
    public void Parse_rejects_non_octal(string text) => Assert.ThrowsAny<Exception>(() => Umask.Parse(text));

    [Fact]
    public void Format_is_four_digit_octal() => Assert.Equal("0077", Umask.Format(63));
}
