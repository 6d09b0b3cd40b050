using System.ClientModel;
using System.Net.Sockets;
using System.Text.Json;
using LlmSpell.Llm.Calls;
using LlmSpell.Llm.Providers.Http;

namespace LlmSpell.Llm.Resilience;

internal enum FailureKind { Status, Connection, IdleTimeout, Malformed, TooLarge, Cancelled, Other }

/// <summary>What went wrong in one attempt, read from whatever exception the client (ours or the OpenAI SDK) threw.</summary>
internal sealed record Failure(FailureKind Kind, Exception Cause, int? StatusCode = null, TimeSpan? RetryAfter = null,
    string? ProviderMessage = null, bool OutputStarted = false, bool InStream = false)
{
    /// <summary>Worth another attempt in principle: 408, 429, 5xx (529 included), a dropped connection, a silent stream.</summary>
    public bool Transient => Kind is FailureKind.Connection or FailureKind.IdleTimeout
                             || (Kind == FailureKind.Status && StatusCode is 408 or 429 or >= 500);

    /// <summary>Transient and no text reached the script yet (a retry would repeat it).</summary>
    public bool Retryable => Transient && !OutputStarted;

    /// <summary>The reason reported to <see cref="ILlmObserver.Retried"/>: 429 | 5xx | 529 | connection | timeout.</summary>
    public string RetryReason => Kind switch
    {
        FailureKind.Connection => "connection",
        FailureKind.IdleTimeout => "timeout",
        _ => StatusCode switch { 429 => "429", 529 => "529", 408 => "timeout", _ => "5xx" },
    };
}

internal static class FailureClassifier
{
    public static Failure Classify(Exception exception)
    {
        // A cancelled read often wraps the IOException of the aborted socket: it is a cancellation, never a retry.
        if (exception is OperationCanceledException) return new Failure(FailureKind.Cancelled, exception);
        var outputStarted = false;
        // Specific causes first: a size or parse failure is often wrapped in an IOException or HttpRequestException,
        // which alone would look like a dropped connection.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case CallbackFailedException: // the script's own failure, not the provider's
                    return new Failure(FailureKind.Other, e);
                case OutputAlreadyStreamedException:
                    outputStarted = true;
                    break;
                case ResponseTooLargeException:
                    return new Failure(FailureKind.TooLarge, e, OutputStarted: outputStarted);
                case MalformedResponseException malformed:
                    return new Failure(FailureKind.Malformed, e, OutputStarted: outputStarted, InStream: malformed.InStream);
                case JsonException:
                    return new Failure(FailureKind.Malformed, e, OutputStarted: outputStarted);
                case ProviderStatusException status:
                    return new Failure(FailureKind.Status, e, status.StatusCode, status.RetryAfter, status.ProviderMessage, outputStarted);
                case ClientResultException { Status: > 0 } sdk:
                    return FromSdk(sdk, outputStarted);
                case StreamIdleException:
                    return new Failure(FailureKind.IdleTimeout, e, OutputStarted: outputStarted);
            }
        }
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is HttpRequestException or IOException or SocketException)
                return new Failure(FailureKind.Connection, e, OutputStarted: outputStarted);
        return new Failure(FailureKind.Other, exception, OutputStarted: outputStarted);
    }

    private static Failure FromSdk(ClientResultException exception, bool outputStarted)
    {
        var response = exception.GetRawResponse();
        TimeSpan? retryAfter = null;
        string? message = null;
        if (response is not null)
        {
            response.Headers.TryGetValue("Retry-After", out var retryAfterValue);
            response.Headers.TryGetValue("retry-after-ms", out var retryAfterMs);
            retryAfter = RetryAfterHeader.Parse(retryAfterValue, retryAfterMs);
            try { message = ProviderErrorMessages.Extract(response.Content.ToString()); }
            catch (InvalidOperationException) { } // content not buffered: the status alone has to do
        }
        return new Failure(FailureKind.Status, exception, exception.Status, retryAfter,
            string.IsNullOrEmpty(message) ? response?.ReasonPhrase : message, outputStarted);
    }
}
