using LlmSpell.Lua;

namespace LlmSpell.Lua.Tests;

public class EnvironmentTests
{
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private static readonly string Allowed = "LLMSPELL_TEST_ALLOWED_" + Suffix;
    private static readonly string Unlisted = "LLMSPELL_TEST_UNLISTED_" + Suffix;
    private static readonly string ListedSecret = "MY_API_KEY_" + Suffix;

    static EnvironmentTests()
    {
        Environment.SetEnvironmentVariable(Allowed, "yes");
        Environment.SetEnvironmentVariable(Unlisted, "hidden");
        Environment.SetEnvironmentVariable(ListedSecret, "sk-123");
        Environment.SetEnvironmentVariable("LLMSPELL_HMAC_KEY", Environment.GetEnvironmentVariable("LLMSPELL_HMAC_KEY") ?? "hmac");
    }

    private static LuaSession Session(bool unsafeMode) => new(new LuaSessionOptions
    {
        AllowUnsafe = unsafeMode,
        EnvironmentAllowList = [Allowed, ListedSecret, "LLMSPELL_HMAC_KEY"],
    });

    [Fact]
    public void TheSandboxReadsOnlyListedNonSecretNames()
    {
        using var s = Session(unsafeMode: false);
        Assert.Equal("yes", s.Ok($"os.getenv('{Allowed}')"));
        Assert.Equal("nil", s.Ok($"os.getenv('{Unlisted}')"));
        Assert.Equal("nil", s.Ok($"os.getenv('{ListedSecret}')"));
        Assert.Equal("nil", s.Ok("os.getenv('LLMSPELL_HMAC_KEY')"));
        Assert.Contains("string expected", s.Fails("os.getenv({})").Value);
    }

    [Fact]
    public void UnsafeModeReadsEverythingButSecrets()
    {
        using var s = Session(unsafeMode: true);
        Assert.Equal("hidden", s.Ok($"os.getenv('{Unlisted}')"));
        Assert.Equal("nil", s.Ok($"os.getenv('{ListedSecret}')"));
        Assert.Equal("nil", s.Ok("os.getenv('LLMSPELL_HMAC_KEY')"));
    }

    [Fact]
    public void TheDefaultAllowListHoldsNoPathAndNoSecret()
    {
        var list = new LuaSessionOptions().EnvironmentAllowList;
        Assert.Contains("LANG", list);
        Assert.DoesNotContain("PATH", list);
        Assert.All(list, n => Assert.DoesNotContain("KEY", n));
    }
}
