using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Shell;

namespace LlmSpell.Kernel.Tests.Unit;

public class HistoryReplyTests
{
    private static readonly HistoryEntry[] Entries =
        Enumerable.Range(1, 10).Select(i => new HistoryEntry(1, i, new string('c', 1000), "out")).ToArray();

    [Fact]
    public void EverythingIsSentWhenItFits()
    {
        var history = HistoryReply.Content(Entries, output: true, maxBytes: 1_000_000)["history"]!.AsArray();
        Assert.Equal(10, history.Count);
        Assert.Equal("out", (string?)history[9]![2]![1]);
    }

    [Fact]
    public void TheOldestEntriesAreDroppedUntilTheReplyFits()
    {
        var content = HistoryReply.Content(Entries, output: false, maxBytes: 3500);
        Assert.True(WireCodec.Serialize(content).Length <= 3500);
        Assert.Equal([8, 9, 10], content["history"]!.AsArray().Select(item => (int)item![1]!));
    }

    [Fact]
    public void TheBudgetLeavesRoomForTheEnvelope()
    {
        var request = new JupyterMessage
        {
            Identities = [new byte[100]],
            HeaderBytes = new byte[500],
            Header = [], ParentHeader = [], Metadata = [], Content = [], Buffers = [],
        };
        Assert.Equal(100_000 - 600 - HistoryReply.EnvelopeBytes, HistoryReply.Budget(100_000, request));
        Assert.Equal(HistoryReply.DefaultMaxBytes - 600 - HistoryReply.EnvelopeBytes, HistoryReply.Budget(0, request));
    }
}
