namespace LlmSpell.Llm.Resilience;

/// <summary>Consecutive failed attempts of one provider, for the breaker's message (Polly's breaker decides when to open).</summary>
internal sealed class CircuitHealth
{
    private int _consecutiveFailures;

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    public void RecordFailure() => Interlocked.Increment(ref _consecutiveFailures);

    public void RecordSuccess() => Interlocked.Exchange(ref _consecutiveFailures, 0);
}
