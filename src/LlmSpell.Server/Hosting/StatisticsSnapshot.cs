using System.Diagnostics;
using LlmSpell.Server.Api;
using LlmSpell.Server.Kernels;

namespace LlmSpell.Server;

/// <summary>One statistics snapshot, for GET /api/stats and the SIGUSR1 log line.</summary>
public sealed class StatisticsSnapshot(KernelManager kernels, ServiceStats stats, LlmSpell.Server.Metrics.LlmMetricsObserver llm)
{
    public ServiceStatistics Take()
    {
        using var process = Process.GetCurrentProcess();
        var all = kernels.All;
        return new ServiceStatistics(
            Math.Round(stats.Uptime.TotalSeconds, 3), stats.Requests, stats.RequestErrors,
            all.Count, all.Count(k => k.State == LlmSpell.Kernel.KernelState.Busy),
            stats.Executions, stats.ExecutionErrors, stats.RejectedMessages, all.Sum(k => k.ConnectedClients),
            process.WorkingSet64, GC.GetTotalMemory(false),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            process.Threads.Count, stats.LastActivity, Llm(llm.Totals));
    }

    private static LlmStatistics Llm(LlmSpell.Server.Metrics.LlmTotals t) =>
        new(t.Requests, t.Errors, t.InputTokens, t.OutputTokens, t.Retries, t.CostUsd);
}
