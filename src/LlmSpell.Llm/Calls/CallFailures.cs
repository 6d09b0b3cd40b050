using System.Globalization;
using LlmSpell.Llm.Providers;
using LlmSpell.Llm.Providers.Http;
using LlmSpell.Llm.Resilience;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace LlmSpell.Llm.Calls;

/// <summary>Turns whatever a request failed with into the <see cref="LlmException"/> a script sees: the provider, the problem, the fix.</summary>
internal static class CallFailures
{
    public static LlmException ToLlmException(CallTarget target, Exception exception, int attempts, bool streaming)
    {
        var name = target.ProviderName;
        var (message, status, inner) = exception switch
        {
            LlmException llm => (llm.Message, llm.StatusCode, llm.InnerException),
            TimeoutRejectedException => ($"provider '{name}' did not finish within {target.Settings.TimeoutSeconds} s " +
                                         $"(timeout_seconds in [providers.{name}]); raise it or ask for less output", null, null),
            BrokenCircuitException broken => (BrokenCircuit(target, broken), null, null),
            RateLimiterRejectedException => ($"provider '{name}': too many requests are waiting for the client-side rate limit " +
                                              $"(requests_per_minute = {target.Settings.RequestsPerMinute} in [providers.{name}])",
                                              (int?)null, (Exception?)null),
            _ => FromFailure(target, FailureClassifier.Classify(exception), attempts, streaming),
        };
        return new LlmException(Secrets.Redact(message, target.ApiKey), name, status, inner);
    }

    private static string BrokenCircuit(CallTarget target, BrokenCircuitException broken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((broken.RetryAfter ?? TimeSpan.Zero).TotalSeconds));
        return $"provider '{target.ProviderName}' is failing: {target.Pipeline.Health.ConsecutiveFailures} consecutive failures; " +
               $"retrying after {seconds.ToString(CultureInfo.InvariantCulture)}s";
    }

    private static (string, int?, Exception?) FromFailure(CallTarget target, Failure failure, int attempts, bool streaming)
    {
        var name = target.ProviderName;
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        if (failure.OutputStarted && failure.Transient)
            return ($"provider '{name}' broke off the stream after text had arrived ({Describe(failure, name)}); " +
                    "not retried, so that no text is repeated", failure.StatusCode, null);
        return failure.Kind switch
        {
            FailureKind.Status => (StatusMessage(target, failure, tries), failure.StatusCode, null),
            FailureKind.Connection => ($"cannot reach provider '{name}' at {target.BaseUri} after {tries}: {failure.Cause.Message}",
                null, failure.Cause),
            FailureKind.IdleTimeout => ($"provider '{name}' stopped sending in the middle of a stream ({failure.Cause.Message}, " +
                                        $"after {tries}; timeout_seconds in [providers.{name}])", null, null),
            FailureKind.Malformed => ($"provider '{name}' sent a malformed {(failure.InStream || streaming ? "stream chunk" : "response")}: " +
                                      failure.Cause.Message, null, null),
            FailureKind.TooLarge => ($"provider '{name}' sent more than {((ResponseTooLargeException)failure.Cause).Limit} bytes; " +
                                     "raise max_response_bytes or ask for less output", null, null),
            _ => ($"provider '{name}' call failed: {failure.Cause.Message}", null, failure.Cause),
        };
    }

    private static string StatusMessage(CallTarget target, Failure failure, string tries)
    {
        var name = target.ProviderName;
        var said = string.IsNullOrWhiteSpace(failure.ProviderMessage) ? "" : ": " + failure.ProviderMessage;
        var keyHint = target.ScriptEndpoint ? "the api_key the script passed" : ApiKeys.Source(target.Settings) switch
        {
            "none" => $"the key of [providers.{name}]",
            var source => $"the key ({source}) of [providers.{name}]",
        };
        return failure.StatusCode switch
        {
            401 or 403 => $"provider '{name}' refused the request (HTTP {failure.StatusCode}){said}; check {keyHint}",
            404 => $"provider '{name}' answered HTTP 404{said}; check the model '{target.Model}' and base_url {target.BaseUri}",
            429 => $"provider '{name}' is rate limiting (HTTP 429) after {tries}{said}",
            >= 500 => $"provider '{name}' failed with HTTP {failure.StatusCode} after {tries}{said}",
            _ => $"provider '{name}' rejected the request (HTTP {failure.StatusCode}){said}",
        };
    }

    private static string Describe(Failure failure, string name) => failure.Kind switch
    {
        FailureKind.Status => $"HTTP {failure.StatusCode}: {failure.ProviderMessage}",
        FailureKind.IdleTimeout => $"{failure.Cause.Message}; timeout_seconds in [providers.{name}]",
        _ => failure.Cause.Message,
    };
}
