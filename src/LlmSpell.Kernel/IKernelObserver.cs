namespace LlmSpell.Kernel;

/// <summary>Hooks the host uses for metrics. Implementations must be thread-safe and cheap.</summary>
public interface IKernelObserver
{
    void MessageReceived(string channel, string msgType);
    void MessageRejected(string channel, string reason);
    void ExecutionFinished(TimeSpan duration, string status);
    void ClientActivity();

    /// <summary>A Lua state stuck in native code was abandoned for a fresh one (see the restart path).</summary>
    void StateAbandoned() { }
}

public sealed class NullKernelObserver : IKernelObserver
{
    public static readonly NullKernelObserver Instance = new();
    public void MessageReceived(string channel, string msgType) { }
    public void MessageRejected(string channel, string reason) { }
    public void ExecutionFinished(TimeSpan duration, string status) { }
    public void ClientActivity() { }
}
