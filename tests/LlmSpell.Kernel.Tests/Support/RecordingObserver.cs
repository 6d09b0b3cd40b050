using System.Collections.Concurrent;
using LlmSpell.Kernel;

namespace LlmSpell.Kernel.Tests.Support;

public sealed class RecordingObserver : IKernelObserver
{
    public ConcurrentQueue<(string Channel, string MsgType)> Received { get; } = new();
    public ConcurrentQueue<(string Channel, string Reason)> Rejected { get; } = new();
    public ConcurrentQueue<(TimeSpan Duration, string Status)> Executions { get; } = new();
    private int _activity;
    public int Activity => Volatile.Read(ref _activity);

    public void MessageReceived(string channel, string msgType) => Received.Enqueue((channel, msgType));
    public void MessageRejected(string channel, string reason) => Rejected.Enqueue((channel, reason));
    public void ExecutionFinished(TimeSpan duration, string status) => Executions.Enqueue((duration, status));
    public void ClientActivity() => Interlocked.Increment(ref _activity);

    public bool HasRejected(string channel, string reason) => Rejected.Contains((channel, reason));
}
