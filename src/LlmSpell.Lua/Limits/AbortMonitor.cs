using System.Diagnostics;

namespace LlmSpell.Lua;

/// <summary>Why a running script must stop: an interrupt, the instruction limit or the time limit.</summary>
internal readonly record struct AbortReason(string Name, string Message);

/// <summary>
/// Decides whether the running script must stop. The prelude's count hook asks every <see cref="HookCount"/>
/// instructions; <see cref="RequestInterrupt"/> is the only member safe from other threads.
/// </summary>
internal sealed class AbortMonitor(long instructionLimit, string interruptName)
{
    private const int HookInterval = 1000;

    private volatile bool _interruptRequested;
    private long _instructions;
    private long _deadline = long.MaxValue;
    private TimeSpan _timeout;

    /// <summary>Instructions between two hook calls: fewer than the limit, so a small limit is exact.</summary>
    public int HookCount { get; } = instructionLimit > 0 ? (int)Math.Clamp(instructionLimit, 1, HookInterval) : HookInterval;

    /// <summary>Only armed while user code runs; the prelude and the display of results are never stopped.</summary>
    public bool Armed { get; set; }

    /// <summary>The reason the current execution was stopped, once decided.</summary>
    public AbortReason? Abort { get; private set; }

    /// <summary>A pending interrupt survives until the execution it stops consumes it (or it is cleared).</summary>
    public void RequestInterrupt() => _interruptRequested = true;

    public void ClearInterrupt() => _interruptRequested = false;

    /// <summary>Resets the counters for a new execution (zero timeout = none).</summary>
    public void Start(TimeSpan timeout)
    {
        Abort = null;
        _instructions = 0;
        _timeout = timeout;
        _deadline = timeout > TimeSpan.Zero
            ? Stopwatch.GetTimestamp() + (long)Math.Min(timeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4)
            : long.MaxValue;
    }

    public void Finish()
    {
        Armed = false;
        _interruptRequested = false;
    }

    /// <summary>
    /// Called by the managed pattern matcher, inside which the count hook cannot run: its steps count as
    /// instructions.
    /// </summary>
    public AbortReason? Charge(int steps)
    {
        if (Armed)
            _instructions += steps;
        return Check(countInstructions: false);
    }

    /// <summary>Called on the execution thread; countInstructions when called from the count hook.</summary>
    public AbortReason? Check(bool countInstructions)
    {
        if (!Armed)
            return null;
        if (countInstructions)
            _instructions += HookCount;
        if (Abort is null)
        {
            if (_interruptRequested)
                Abort = new(interruptName, "execution interrupted");
            else if (instructionLimit > 0 && _instructions >= instructionLimit)
                Abort = new("InstructionLimitError", $"instruction limit of {instructionLimit} exceeded");
            else if (_deadline != long.MaxValue && Stopwatch.GetTimestamp() > _deadline)
                Abort = new("TimeoutError", $"execution exceeded the time limit of {LuaErrorFormatter.FormatSpan(_timeout)}");
        }
        return Abort;
    }
}
