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
    public void CodePointConversions()
    {
        var s = "a😀b";
        Assert.Equal(3, CodePoints.ToUtf16Index(s, 2));
        Assert.Equal(2, CodePoints.FromUtf16Index(s, 3));
        Assert.Equal(s.Length, CodePoints.ToUtf16Index(s, 99));
    }
}
