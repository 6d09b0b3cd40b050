using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;

namespace LlmSpell.Kernel.Tests;

public class HistoryStoreTests
{
    private static HistoryStore Filled()
    {
        var h = new HistoryStore();
        h.Add(1, "x = 1", null);
        h.Add(2, "y = 2", null);
        h.Add(3, "x = 3", "3");
        h.NewSession();
        h.Add(1, "z = 4", null);
        return h;
    }

    [Fact]
    public void TailReturnsLastEntries()
    {
        var tail = Filled().Tail(2);
        Assert.Equal(["x = 3", "z = 4"], tail.Select(e => e.Input));
        Assert.Equal(2, tail[1].Session);
    }

    [Fact]
    public void RangeUsesCurrentAndRelativeSessions()
    {
        var h = Filled();
        Assert.Equal(["z = 4"], h.Range(0, 0, null).Select(e => e.Input));
        Assert.Equal(["x = 1", "y = 2"], h.Range(-1, 1, 3).Select(e => e.Input));
        Assert.Equal(["y = 2", "x = 3"], h.Range(1, 2, null).Select(e => e.Input));
    }

    [Fact]
    public void SearchGlobAndUnique()
    {
        var h = Filled();
        h.Add(2, "x = 1", null);
        Assert.Equal(["x = 1", "x = 3", "x = 1"], h.Search("x*", null, false).Select(e => e.Input));
        Assert.Equal(["x = 3", "x = 1"], h.Search("x*", null, true).Select(e => e.Input));
        Assert.Equal(["y = 2"], h.Search("? = 2", null, false).Select(e => e.Input));
        Assert.Single(h.Search("*", 1, false));
    }

    [Fact]
    public void LongEntriesAreTruncatedWithAMarker()
    {
        var h = new HistoryStore();
        var code = new string('x', 9 * 1024 * 1024);
        h.Add(1, code, "short");
        var stored = Assert.Single(h.Tail(1)).Input;
        Assert.Equal(new string('x', HistoryStore.MaxEntryBytes) + "\n-- [truncated: 9437184 bytes, kept the first 65536]", stored);
        Assert.Equal("short", h.Tail(1)[0].Output);
    }

    [Fact]
    public void TruncationCountsUtf8BytesAndNeverSplitsACharacter()
    {
        var h = new HistoryStore(maxEntryBytes: 10);
        h.Add(1, "ééééééé", new string('o', 11)); // 14 bytes; 'é' is 2
        var e = h.Tail(1)[0];
        Assert.Equal("ééééé\n-- [truncated: 14 bytes, kept the first 10]", e.Input);
        Assert.StartsWith("oooooooooo\n-- [truncated: 11 bytes", e.Output);

        h.Add(2, "abc😀😀", null); // 11 bytes; the emoji is 4
        Assert.StartsWith("abc😀\n-- [truncated: 11 bytes, kept the first 7]", h.Tail(1)[0].Input);
    }

    [Fact]
    public void TheByteBudgetEvictsTheOldestEntries()
    {
        var h = new HistoryStore(maxEntryBytes: 100, maxTotalBytes: 250);
        for (var i = 1; i <= 5; i++) h.Add(i, new string((char)('a' + i), 100), null);
        Assert.Equal([4, 5], h.Tail(100).Select(e => e.Line));
        Assert.True(h.Bytes <= 250);

        h.Add(6, "x", "y");
        Assert.Equal([4, 5, 6], h.Tail(100).Select(e => e.Line));
        Assert.Equal(202, h.Bytes);
    }

    [Fact]
    public void CodePointConversions()
    {
        var s = "a😀b";
        Assert.Equal(3, CodePoints.ToUtf16Index(s, 2));
        Assert.Equal(2, CodePoints.FromUtf16Index(s, 3));
        Assert.Equal(s.Length, CodePoints.ToUtf16Index(s, 99));
    }
}
