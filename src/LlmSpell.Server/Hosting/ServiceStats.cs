namespace LlmSpell.Server;

/// <summary>Counters behind /api/stats and the SIGUSR1 snapshot; also the clock idle_timeout watches.</summary>
public sealed class ServiceStats(TimeProvider clock)
{
    private long _requests;
    private long _requestErrors;
    private long _executions;
    private long _executionErrors;
    private long _rejectedMessages;
    private long _lastActivityTicks = clock.GetUtcNow().UtcTicks;

    public DateTimeOffset Started { get; } = clock.GetUtcNow();
    public TimeSpan Uptime => clock.GetUtcNow() - Started;
    public long Requests => Interlocked.Read(ref _requests);
    public long RequestErrors => Interlocked.Read(ref _requestErrors);
    public long Executions => Interlocked.Read(ref _executions);
    public long ExecutionErrors => Interlocked.Read(ref _executionErrors);
    public long RejectedMessages => Interlocked.Read(ref _rejectedMessages);
    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    public void RecordRequest(bool serverError)
    {
        Interlocked.Increment(ref _requests);
        if (serverError) Interlocked.Increment(ref _requestErrors);
    }

    public void RecordExecution(bool ok)
    {
        Interlocked.Increment(ref _executions);
        if (!ok) Interlocked.Increment(ref _executionErrors);
        RecordActivity();
    }

    public void RecordRejectedMessage() => Interlocked.Increment(ref _rejectedMessages);

    public void RecordActivity() => Interlocked.Exchange(ref _lastActivityTicks, clock.GetUtcNow().UtcTicks);
}
