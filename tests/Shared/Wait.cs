using System.Diagnostics;

namespace LlmSpell.Tests.Shared;

/// <summary>The one polling loop of the tests: a condition checked every <see cref="Interval"/> until it holds or time runs out.</summary>
public static class Wait
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Whether <paramref name="condition"/> held within <paramref name="timeout"/> (it is checked at least once, then
    /// every <paramref name="interval"/>, <see cref="Interval"/> by default).
    /// </summary>
    public static async Task<bool> ForAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout) return false;
            await Task.Delay(interval ?? Interval);
        }
        return true;
    }

    public static Task<bool> ForAsync(Func<bool> condition, TimeSpan timeout) => ForAsync(() => Task.FromResult(condition()), timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; otherwise fails the test with "Timed out after N s waiting for
    /// <paramref name="what"/>" followed by <paramref name="details"/> (read at the deadline: logs, output, state).
    /// A condition that makes requests to a rate-limited service may ask for a longer <paramref name="interval"/>.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? details = null, TimeSpan? interval = null)
    {
        if (!await ForAsync(condition, timeout, interval))
            Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}" + (details is null ? "" : "\n" + details()));
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? details = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, details);
}
