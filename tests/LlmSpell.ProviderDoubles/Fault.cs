namespace LlmSpell.ProviderDoubles;

/// <summary>
/// A scripted failure for the next chat request (any provider), queued with <see cref="ProviderDouble.Enqueue"/>.
/// A fault is taken once the request passed authentication and validation, so a rejected request leaves the queue alone.
/// A "chunk" is one SSE event (OpenAI <c>data:</c> line, Anthropic <c>event:</c>+<c>data:</c> pair, the final
/// <c>data: [DONE]</c> included) or one NDJSON line (Ollama); for a non-streaming reply the chunk count is ignored and
/// the fault strikes right after the response headers.
/// </summary>
public abstract record Fault
{
    private protected Fault() { }

    /// <summary>
    /// Answers with <paramref name="code"/> and an error body in the provider's format (its error type follows the
    /// code: 429 rate limit, 529 overloaded, 5xx server error, ...), with a <c>Retry-After</c> header when
    /// <paramref name="retryAfterSeconds"/> is given and the provider's stock message unless <paramref name="message"/> is.
    /// </summary>
    public static Fault Status(int code, int? retryAfterSeconds = null, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 599);
        if (retryAfterSeconds is < 0) throw new ArgumentOutOfRangeException(nameof(retryAfterSeconds), "Retry-After cannot be negative.");
        return new StatusFault(code, retryAfterSeconds, message);
    }

    /// <summary>
    /// Streams <paramref name="chunks"/> chunks, then closes the connection before the stream's end, so the client reads
    /// exactly those chunks and then a premature end of the response (the response then carries a Content-Length one byte
    /// longer than the whole stream instead of chunked encoding). With 0 chunks, and when not streaming, the connection is
    /// aborted right after the headers, before the body.
    /// </summary>
    public static Fault DropAfterChunks(int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        return new DropFault(chunks);
    }

    /// <summary>Sends <paramref name="chunks"/> chunks, then nothing until the client goes away (non-streaming: stalls after the headers).</summary>
    public static Fault StallAfterChunks(int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        return new StallFault(chunks);
    }

    /// <summary>
    /// A broken chunk ahead of an otherwise normal stream (SSE <c>data: {not json</c>, NDJSON <c>{broken</c>), or,
    /// when not streaming, a 200 JSON body cut in half.
    /// </summary>
    public static Fault Malformed() => new MalformedFault();
}

internal sealed record StatusFault(int Code, int? RetryAfterSeconds, string? Message) : Fault;

internal sealed record DropFault(int Chunks) : Fault;

internal sealed record StallFault(int Chunks) : Fault;

internal sealed record MalformedFault : Fault;
