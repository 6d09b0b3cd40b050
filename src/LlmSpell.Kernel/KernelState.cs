namespace LlmSpell.Kernel;

/// <summary>Jupyter execution_state values plus the lifecycle ends.</summary>
public enum KernelState { Starting, Idle, Busy, Restarting, Dead }

public static class KernelStateNames
{
    public static string ToWire(this KernelState state) => state switch
    {
        KernelState.Starting => "starting",
        KernelState.Idle => "idle",
        KernelState.Busy => "busy",
        KernelState.Restarting => "restarting",
        _ => "dead",
    };
}
