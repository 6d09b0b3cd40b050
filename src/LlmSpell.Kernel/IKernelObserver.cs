namespace LlmSpell.Kernel;

/// <summary>Hooks the host uses for metrics. Implementations must be thread-safe and cheap.</summary>
public interface IKernelObserver
{
    void MessageReceived(string channel, string msgType);
    void MessageRejected(string channel, string reason);
    void ExecutionFinished(TimeSpan duration, string status);
    void ClientActivity();
}

public sealed class NullKernelObserver : IKernelObserver
{
    public static readonly NullKernelObserver Instance = new();
    public void MessageReceived(string channel, string msgType) { }
    public void MessageRejected(string channel, string reason) { }
    public void ExecutionFinished(TimeSpan duration, string status) { }
    public void ClientActivity() { }
}
