namespace LlmSpell.Lua.Tests;

/// <summary>Naming and traceback cleanup of failures, without a Lua state.</summary>
public class ErrorFormatterTests
{
    private const int ErrRun = 2, ErrMem = 4;

    [Fact]
    public void PreludeFramesAndTheBareCEntryAreDropped()
    {
        const string tb = "stack traceback:\n\t[C]: in function 'error'\n\t[llmspell] stdio.lua:20: in function 'print'\n\t[string \"cell\"]:1: in main chunk\n\t[C]: in ?\n";
        var e = LuaErrorFormatter.Runtime(ErrRun, "boom", tb, abort: null, allocationRefused: false, memoryLimit: 0);
        Assert.Equal("LuaError", e.Name);
        Assert.Equal(["LuaError: boom", "stack traceback:", "\t[C]: in function 'error'", "\t[string \"cell\"]:1: in main chunk"], e.Traceback);
    }

    [Fact]
    public void AnAbortWinsAndHidesTheHooksErrorCall()
    {
        const string tb = "stack traceback:\n\t[C]: in function 'error'\n\t[string \"cell\"]:1: in main chunk";
        var e = LuaErrorFormatter.Runtime(ErrRun, "whatever", tb, new AbortReason("Stop", "execution interrupted"), false, 0);
        Assert.Equal("Stop", e.Name);
        Assert.Equal("execution interrupted", e.Value);
        Assert.Equal(["Stop: execution interrupted", "stack traceback:", "\t[string \"cell\"]:1: in main chunk"], e.Traceback);
    }

    [Theory]
    [InlineData(ErrMem, "not enough memory", false)]
    [InlineData(ErrRun, "not enough memory", false)]
    [InlineData(ErrRun, "cell:3: not enough memory", true)]
    public void MemoryFailuresNameTheLimit(int status, string message, bool refused)
    {
        var e = LuaErrorFormatter.Runtime(status, message, null, null, refused, 64L * 1024 * 1024);
        Assert.Equal("MemoryError", e.Name);
        Assert.Equal("not enough memory (memory limit of 64 MiB reached)", e.Value);
        Assert.Equal(["MemoryError: not enough memory (memory limit of 64 MiB reached)"], e.Traceback);
    }

    [Fact]
    public void AMessageEndingLikeMemoryIsAnOrdinaryErrorWhenNothingWasRefused()
    {
        Assert.Equal("LuaError", LuaErrorFormatter.Runtime(ErrRun, "cell:1: not enough memory", null, null, false, 1024).Name);
    }

    [Theory]
    [InlineData(512, "512 bytes")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(3L << 20, "3 MiB")]
    [InlineData(2L << 30, "2 GiB")]
    public void BytesAreShownInBinaryUnits(long bytes, string expected) => Assert.Equal(expected, LuaErrorFormatter.FormatBytes(bytes));

    [Fact]
    public void SpansAreShownInSecondsOrMilliseconds()
    {
        Assert.Equal("1.5 s", LuaErrorFormatter.FormatSpan(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("250 ms", LuaErrorFormatter.FormatSpan(TimeSpan.FromMilliseconds(250)));
    }
}
