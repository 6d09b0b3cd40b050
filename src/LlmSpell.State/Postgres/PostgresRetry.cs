using System.Diagnostics;
using Npgsql;
using Polly;
using Polly.Retry;

namespace LlmSpell.State.Postgres;

/// <summary>How a call rides out a lost connection: a few attempts, exponential backoff with jitter, within a time budget.</summary>
internal sealed record PostgresRetryOptions(int MaxRetries, TimeSpan Delay, TimeSpan MaxDelay, TimeSpan Budget)
{
    /// <summary>Up to 5 attempts about 0.25, 0.5, 1 and 2 s apart (jittered), and none started after 5 s: a script waits seconds, not minutes.</summary>
    public static PostgresRetryOptions Default { get; } = new(4, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
}

/// <summary>The retry pipeline of one data source, and what counts as worth retrying.</summary>
internal static class PostgresRetry
{
    private static readonly ResiliencePropertyKey<long> StartedKey = new("llmspell.state.started");

    /// <summary>
    /// Retries <see cref="IsTransient"/> failures; before each retry the data source's idle connections are dropped
    /// (after a server restart they are all dead, and each would fail one attempt).
    /// </summary>
    public static ResiliencePipeline Build(PostgresRetryOptions options, NpgsqlDataSource dataSource) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Delay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is NpgsqlException e && IsTransient(e) &&
                    Stopwatch.GetElapsedTime(args.Context.Properties.GetValue(StartedKey, Stopwatch.GetTimestamp())) < options.Budget),
                OnRetry = _ =>
                {
                    dataSource.Clear();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>Runs <paramref name="body"/> through <paramref name="pipeline"/>; <paramref name="attempts"/> counts the tries.</summary>
    public static T Execute<T>(ResiliencePipeline pipeline, Func<T> body, out int attempts)
    {
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(StartedKey, Stopwatch.GetTimestamp());
        var count = 0;
        try
        {
            return pipeline.Execute(_ =>
            {
                count++;
                return body();
            }, context);
        }
        finally
        {
            attempts = count;
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// A lost or refused connection, a server shutting down or starting up (57P01, 57P02, 57P03), too many connections
    /// (53300), a serialization failure or deadlock: worth another try. Rejected credentials, a missing database, a
    /// privilege, a bad value: not.
    /// </summary>
    public static bool IsTransient(NpgsqlException e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.IsTransient,
        _ => e.IsTransient,
    };
}
