using LlmSpell.Llm.Resilience;

namespace LlmSpell.Llm.Tests;

/// <summary>Retry-After in seconds or as an HTTP date, and OpenAI's retry-after-ms.</summary>
public sealed class RetryAfterHeaderTests
{
    [Theory]
    [InlineData("3", null, 3000)]
    [InlineData("0.5", null, 500)]
    [InlineData(null, "250", 250)]
    [InlineData("9", "250", 250)]
    public void SecondsAndMillisecondsAreRead(string? retryAfter, string? retryAfterMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfterHeader.Parse(retryAfter, retryAfterMs));

    [Fact]
    public void AnHttpDateIsTheTimeUntilThen()
    {
        var wait = RetryAfterHeader.Parse(DateTimeOffset.UtcNow.AddSeconds(20).ToString("R"), null);

        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-4")]
    public void AnythingElseIsNoAdvice(string? retryAfter) => Assert.Null(RetryAfterHeader.Parse(retryAfter, null));

    [Fact]
    public void ADateInThePastMeansNow() =>
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(DateTimeOffset.UtcNow.AddMinutes(-1).ToString("R"), null));
}
