using LlmSpell.Kernel;
using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Kernels;

/// <summary>Feeds kernel events into Prometheus metrics and the service statistics.</summary>
public sealed class KernelMetricsObserver(ServiceStats stats) : IKernelObserver
{
    public void MessageReceived(string channel, string msgType) =>
        LlmSpellMetrics.Messages.WithLabels(Channel(channel), LlmSpellMetrics.KnownMessageTypes.Contains(msgType) ? msgType : "other").Inc();

    public void MessageRejected(string channel, string reason)
    {
        LlmSpellMetrics.MessagesRejected.WithLabels(Channel(channel), reason.Length <= 32 ? reason : "other").Inc();
        stats.RecordRejectedMessage();
    }

    public void ExecutionFinished(TimeSpan duration, string status)
    {
        LlmSpellMetrics.Executions.WithLabels(status is "ok" or "error" or "aborted" ? status : "other").Inc();
        LlmSpellMetrics.ExecutionDuration.Observe(duration.TotalSeconds);
        stats.RecordExecution(status == "ok");
    }

    public void ClientActivity() => stats.RecordActivity();

    public void StateAbandoned() => LlmSpellMetrics.AbandonedStates.Inc();

    private static string Channel(string channel) => LlmSpellMetrics.KnownChannels.Contains(channel) ? channel : "other";
}
