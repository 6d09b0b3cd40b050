using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace LlmSpell.Llm.Resilience;

/// <summary>
/// One provider's Polly pipeline, outermost first: total timeout (timeout_seconds, across attempts and backoff), retries
/// (exponential backoff with jitter, Retry-After honoured up to a cap), circuit breaker, client-side rate limiter.
/// A script's own endpoint gets timeout and retries only: the breaker and the limiter protect the configured provider.
/// </summary>
internal sealed class ProviderPipeline : IDisposable
{
    private readonly ResiliencePipeline _pipeline;
    private readonly RateLimiter? _rateLimiter;

    private ProviderPipeline(ResiliencePipeline pipeline, RateLimiter? rateLimiter, CircuitHealth health)
    {
        _pipeline = pipeline;
        _rateLimiter = rateLimiter;
        Health = health;
    }

    public CircuitHealth Health { get; }

    public static ProviderPipeline Create(ProviderSettings settings, ResilienceTuning tuning, ILlmObserver? observer, ILogger logger,
        bool forScriptEndpoint)
    {
        var health = new CircuitHealth();
        var builder = new ResiliencePipelineBuilder();
        if (settings.TimeoutSeconds > 0)
            builder.AddTimeout(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        if (settings.MaxRetries > 0)
            builder.AddRetry(RetryOptions(settings, tuning, observer, logger));
        RateLimiter? limiter = null;
        if (!forScriptEndpoint)
        {
            builder.AddCircuitBreaker(BreakerOptions(settings, tuning, logger));
            if (settings.RequestsPerMinute > 0)
            {
                limiter = CreateRateLimiter(settings.RequestsPerMinute, tuning);
                builder.AddRateLimiter(limiter);
            }
        }
        return new ProviderPipeline(builder.Build(), limiter, health);
    }

    /// <summary>Runs <paramref name="attempt"/> under the pipeline, counting consecutive provider failures for the breaker's message.</summary>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async token =>
        {
            try
            {
                var result = await attempt(token).ConfigureAwait(false);
                Health.RecordSuccess();
                return result;
            }
            catch (Exception e) when (FailureClassifier.Classify(e).Transient)
            {
                Health.RecordFailure();
                throw;
            }
        }, cancellationToken);

    private static RetryStrategyOptions RetryOptions(ProviderSettings settings, ResilienceTuning tuning, ILlmObserver? observer, ILogger logger) => new()
    {
        MaxRetryAttempts = settings.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = tuning.RetryBaseDelay,
        MaxDelay = tuning.RetryMaxDelay,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && FailureClassifier.Classify(e).Retryable),
        DelayGenerator = args =>
        {
            var retryAfter = args.Outcome.Exception is { } e ? FailureClassifier.Classify(e).RetryAfter : null;
            // null = Polly's exponential backoff with jitter.
            return ValueTask.FromResult(retryAfter is { } wait ? (TimeSpan?)(wait < tuning.RetryAfterCap ? wait : tuning.RetryAfterCap) : null);
        },
        OnRetry = args =>
        {
            var reason = args.Outcome.Exception is { } e ? FailureClassifier.Classify(e).RetryReason : "5xx";
            logger.LogInformation("provider '{Provider}': attempt {Attempt} failed ({Reason}); retrying in {Delay} ms",
                settings.Name, args.AttemptNumber + 1, reason, (long)args.RetryDelay.TotalMilliseconds);
            observer?.Retried(settings.Name, reason);
            return ValueTask.CompletedTask;
        },
    };

    private static CircuitBreakerStrategyOptions BreakerOptions(ProviderSettings settings, ResilienceTuning tuning, ILogger logger) => new()
    {
        // Every attempt in the window failed, and at least the threshold of them: the threshold's consecutive failures.
        FailureRatio = 1.0,
        MinimumThroughput = Math.Max(2, tuning.BreakerFailureThreshold),
        SamplingDuration = tuning.BreakerSamplingDuration,
        BreakDuration = tuning.BreakerBreakDuration,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && FailureClassifier.Classify(e).Transient),
        OnOpened = args =>
        {
            logger.LogWarning("provider '{Provider}' is failing: circuit open for {Seconds} s", settings.Name, args.BreakDuration.TotalSeconds);
            return ValueTask.CompletedTask;
        },
    };

    private static TokenBucketRateLimiter CreateRateLimiter(int requestsPerWindow, ResilienceTuning tuning) => new(new TokenBucketRateLimiterOptions
    {
        // A full bucket allows a burst of the whole window's requests; it refills one request at a time.
        TokenLimit = requestsPerWindow,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = tuning.RateLimitWindow / requestsPerWindow,
        QueueLimit = tuning.RateLimitQueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    public void Dispose() => _rateLimiter?.Dispose();
}
