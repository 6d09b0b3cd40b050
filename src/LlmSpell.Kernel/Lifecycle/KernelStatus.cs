namespace LlmSpell.Kernel.Lifecycle;

/// <summary>The kernel's state, whether a stop has begun, and when a client was last active. Thread-safe.</summary>
internal sealed class KernelStatus
{
    private int _state = (int)KernelState.Starting;
    private int _stopping;
    private long _lastActivityTicks = DateTimeOffset.UtcNow.UtcTicks;

    public KernelState State => (KernelState)Volatile.Read(ref _state);

    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    /// <summary>Sets the state; a dead kernel stays dead.</summary>
    public void Set(KernelState state)
    {
        if (State == KernelState.Dead) return;
        Volatile.Write(ref _state, (int)state);
    }

    /// <summary>Back to idle after a request, unless the kernel is stopping.</summary>
    public void SetIdleUnlessStopping()
    {
        if (!IsStopping) Set(KernelState.Idle);
    }

    /// <summary>Returns true for the first caller only.</summary>
    public bool BeginStop() => Interlocked.Exchange(ref _stopping, 1) == 0;

    public void MarkDead() => Volatile.Write(ref _state, (int)KernelState.Dead);

    public void Touch() => Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
}
