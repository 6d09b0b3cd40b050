using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.ProviderDoubles;

/// <summary>Writes answers to the wire: errors, whole JSON bodies and chunked streams, with the scripted faults applied.</summary>
internal static class ReplyWriter
{
    public static Task WriteErrorAsync(HttpContext context, ChatProvider provider, ProviderError error, int? retryAfterSeconds, CancellationToken cancel)
    {
        if (retryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return WriteBodyAsync(context, error.Status, provider.ErrorContentType, provider.ErrorBody(error, context.Response), cancel);
    }

    public static async Task WriteBodyAsync(HttpContext context, int status, string contentType, string body, CancellationToken cancel)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, cancel);
    }

    /// <summary>A whole JSON reply; Drop aborts and Stall hangs right after the headers, Malformed sends half the body.</summary>
    public static async Task WriteWholeAsync(HttpContext context, string contentType, string body, Fault? fault, CancellationToken cancel)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (fault is MalformedFault) bytes = bytes[..(bytes.Length / 2)];
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        if (fault is DropFault or StallFault)
        {
            await context.Response.StartAsync(cancel);
            await context.Response.Body.FlushAsync(cancel);
            if (fault is StallFault) await WaitUntilGoneAsync(cancel);
            context.Abort();
            return;
        }
        await context.Response.Body.WriteAsync(bytes, cancel);
    }

    /// <summary>
    /// A stream, one chunk per write and flush, <paramref name="chunkDelay"/> between chunks. Malformed puts a broken chunk
    /// first; Stall stops after N chunks and waits for the client to go away; Drop stops after N chunks and closes the
    /// connection mid-body.
    /// </summary>
    public static async Task WriteStreamAsync(HttpContext context, string contentType, IReadOnlyList<string> chunks, string malformedChunk,
        Fault? fault, TimeSpan chunkDelay, CancellationToken cancel)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        if (fault is MalformedFault) chunks = [malformedChunk, .. chunks];
        var encoded = chunks.Select(Encoding.UTF8.GetBytes).ToList();
        var stopAfter = fault switch
        {
            DropFault drop => drop.Chunks,
            StallFault stall => stall.Chunks,
            _ => int.MaxValue,
        };
        // A drop after N > 0 chunks promises one byte more than the whole stream, so Kestrel closes the connection
        // gracefully once the N chunks are out: the client reads exactly them, then a premature end. (An abort would
        // send a RST, which can discard chunks the client has received but not read yet.)
        if (fault is DropFault { Chunks: > 0 }) context.Response.ContentLength = encoded.Sum(chunk => (long)chunk.Length) + 1;

        await context.Response.StartAsync(cancel);
        await context.Response.Body.FlushAsync(cancel);
        for (var i = 0; i < encoded.Count && i < stopAfter; i++)
        {
            if (i > 0 && chunkDelay > TimeSpan.Zero) await Task.Delay(chunkDelay, cancel);
            await context.Response.Body.WriteAsync(encoded[i], cancel);
            await context.Response.Body.FlushAsync(cancel);
        }
        if (fault is StallFault) await WaitUntilGoneAsync(cancel);
        if (fault is StallFault or DropFault { Chunks: 0 }) context.Abort();
    }

    /// <summary>Waits until the client goes away or the double stops (then the caller aborts, so a stall never ends as a complete response).</summary>
    private static async Task WaitUntilGoneAsync(CancellationToken cancel)
    {
        try { await Task.Delay(Timeout.Infinite, cancel); }
        catch (OperationCanceledException) { }
    }
}
