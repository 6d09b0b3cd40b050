using LlmSpell.Llm;
using Prometheus;

namespace LlmSpell.Server.Metrics;

/// <summary>
/// Provider calls as Prometheus metrics (llmspell_llm_*) and running totals for /api/stats. The model label
/// is one of the configured default models, else "other", so scripts cannot grow the label set.
/// </summary>
public sealed class LlmMetricsObserver(IReadOnlySet<string> knownModels) : ILlmObserver
{
    public static readonly Counter Requests = Prometheus.Metrics.CreateCounter(
        "llmspell_llm_requests_total", "Provider calls, by provider, model and outcome (ok, error, cancelled).", "provider", "model", "outcome");

    public static readonly Counter Tokens = Prometheus.Metrics.CreateCounter(
        "llmspell_llm_tokens_total", "Tokens the providers reported, by direction (input, output).", "provider", "model", "direction");

    public static readonly Histogram Duration = Prometheus.Metrics.CreateHistogram(
        "llmspell_llm_request_duration_seconds", "Wall time of provider calls, retries included.",
        new HistogramConfiguration { LabelNames = ["provider"], Buckets = Histogram.ExponentialBuckets(0.05, 2, 12) });

    public static readonly Histogram TimeToFirstToken = Prometheus.Metrics.CreateHistogram(
        "llmspell_llm_time_to_first_token_seconds", "Time from sending a streamed call to its first token.",
        new HistogramConfiguration { LabelNames = ["provider"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });

    public static readonly Counter Retries = Prometheus.Metrics.CreateCounter(
        "llmspell_llm_retries_total", "Provider calls retried, by reason (429, 5xx, 529, connection, timeout).", "provider", "reason");

    public static readonly Counter Cost = Prometheus.Metrics.CreateCounter(
        "llmspell_llm_cost_usd_total", "Estimated spend from [providers.NAME.pricing], in US dollars.", "provider", "model");

    private long _requests, _errors, _inputTokens, _outputTokens, _retries;
    private double _cost;
    private readonly Lock _costLock = new();

    public LlmTotals Totals
    {
        get
        {
            lock (_costLock)
                return new LlmTotals(Interlocked.Read(ref _requests), Interlocked.Read(ref _errors), Interlocked.Read(ref _inputTokens),
                    Interlocked.Read(ref _outputTokens), Interlocked.Read(ref _retries), Math.Round(_cost, 6));
        }
    }

    public void RequestFinished(string provider, string model, string outcome, TimeSpan duration, TimeSpan? timeToFirstToken,
        long inputTokens, long outputTokens, double costUsd)
    {
        var label = knownModels.Contains(model) ? model : "other";
        Requests.WithLabels(provider, label, outcome).Inc();
        Duration.WithLabels(provider).Observe(duration.TotalSeconds);
        if (timeToFirstToken is { } ttft) TimeToFirstToken.WithLabels(provider).Observe(ttft.TotalSeconds);
        if (inputTokens > 0) Tokens.WithLabels(provider, label, "input").Inc(inputTokens);
        if (outputTokens > 0) Tokens.WithLabels(provider, label, "output").Inc(outputTokens);
        if (costUsd > 0) Cost.WithLabels(provider, label).Inc(costUsd);
        Interlocked.Increment(ref _requests);
        if (outcome != "ok") Interlocked.Increment(ref _errors);
        Interlocked.Add(ref _inputTokens, inputTokens);
        Interlocked.Add(ref _outputTokens, outputTokens);
        lock (_costLock) _cost += costUsd;
    }

    public void Retried(string provider, string reason)
    {
        Retries.WithLabels(provider, reason).Inc();
        Interlocked.Increment(ref _retries);
    }
}

/// <summary>Provider-call totals since the service started (in /api/stats and `kernel stats`).</summary>
public sealed record LlmTotals(long Requests, long Errors, long InputTokens, long OutputTokens, long Retries, double CostUsd);
