using System.Collections.Concurrent;

namespace LlmSpell.Llm.Tests.Support;

internal sealed record FinishedRequest(string Provider, string Model, string Outcome, TimeSpan Duration, TimeSpan? TimeToFirstToken,
    long InputTokens, long OutputTokens, double CostUsd);

/// <summary>Records what the runtime reports to the metrics hooks.</summary>
internal sealed class RecordingObserver : ILlmObserver
{
    private readonly ConcurrentQueue<FinishedRequest> _finished = new();
    private readonly ConcurrentQueue<(string Provider, string Reason)> _retries = new();

    public IReadOnlyList<FinishedRequest> Finished => _finished.ToArray();
    public IReadOnlyList<(string Provider, string Reason)> Retries => _retries.ToArray();

    public void RequestFinished(string provider, string model, string outcome, TimeSpan duration, TimeSpan? timeToFirstToken,
        long inputTokens, long outputTokens, double costUsd) =>
        _finished.Enqueue(new FinishedRequest(provider, model, outcome, duration, timeToFirstToken, inputTokens, outputTokens, costUsd));

    public void Retried(string provider, string reason) => _retries.Enqueue((provider, reason));
}
