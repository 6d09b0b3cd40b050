using LlmSpell.Kernel.Logging;

namespace LlmSpell.Kernel.Tests.Unit;

public class LogSafeTests
{
    [Theory]
    [InlineData("execute_request", "execute_request")]
    [InlineData("x\n2026-12-01 [INFO] FORGED", @"x\n2026-12-01 [INFO] FORGED")]
    [InlineData("a\r\tb\0c", @"a\r\tb\0c")]
    [InlineData("\u001b[31mred", @"\x1b[31mred")]
    [InlineData("del\u007f", @"del\x7f")]
    [InlineData("nel\u0085", @"nel\u0085")]
    [InlineData("ls\u2028ps\u2029", @"ls\u2028ps\u2029")]
    [InlineData("bidi\u202e", @"bidi\u202e")]
    [InlineData("a😀b", "a😀b")]
    [InlineData("héllo ünïcode", "héllo ünïcode")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void EscapesControlCharacters(string? value, string expected) => Assert.Equal(expected, LogSafe.Escape(value));

    [Fact]
    public void UnpairedSurrogatesAreEscaped()
    {
        Assert.Equal(@"a\ud83d", LogSafe.Escape("a\ud83d"));
        Assert.Equal(@"\ude00b", LogSafe.Escape("\ude00b"));
    }

    [Fact]
    public void LongValuesAreCutToTheBound()
    {
        var cut = LogSafe.Escape(new string('a', 10_000));
        Assert.Equal(new string('a', LogSafe.MaxLength) + "…", cut);
        Assert.Equal(new string('a', LogSafe.MaxLength), LogSafe.Escape(new string('a', LogSafe.MaxLength)));

        var escapes = LogSafe.Escape(new string('\n', 10_000));
        Assert.True(escapes.Length <= LogSafe.MaxLength + 1);
        Assert.EndsWith(@"\n…", escapes);
    }
}
