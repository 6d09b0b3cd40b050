namespace LlmSpell.Kernel.Shell;

/// <summary>
/// stop_on_error: when an execution fails, execute requests received before the failure are answered
/// "aborted". Requests are stamped on arrival (poller thread) and checked when they run (execution thread).
/// </summary>
internal sealed class StopOnError
{
    private long _lastStamp;
    private long _abortThrough = -1;

    public long Stamp() => Interlocked.Increment(ref _lastStamp);

    public bool ShouldAbort(long stamp) => stamp <= Interlocked.Read(ref _abortThrough);

    /// <summary>Aborts every request received so far.</summary>
    public void AbortQueued() => Interlocked.Exchange(ref _abortThrough, Interlocked.Read(ref _lastStamp));
}
