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
            if (fault is DropFault) context.Abort();
            else await WaitUntilGoneAsync(cancel);
            return;
        }
        await context.Response.Body.WriteAsync(bytes, cancel);
    }

    /// <summary>
    /// A stream, one chunk per write and flush, <paramref name="chunkDelay"/> between chunks. Malformed puts a broken chunk
    /// first; Drop/Stall stop after N chunks (Drop aborts the connection, Stall waits for the client to go away).
    /// </summary>
    public static async Task WriteStreamAsync(HttpContext context, string contentType, IReadOnlyList<string> chunks, string malformedChunk,
        Fault? fault, TimeSpan chunkDelay, CancellationToken cancel)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        if (fault is MalformedFault) chunks = [malformedChunk, .. chunks];
        var stopAfter = fault switch
        {
            DropFault drop => drop.Chunks,
            StallFault stall => stall.Chunks,
            _ => int.MaxValue,
        };

        await context.Response.StartAsync(cancel);
        await context.Response.Body.FlushAsync(cancel);
        for (var i = 0; i < chunks.Count && i < stopAfter; i++)
        {
            if (i > 0 && chunkDelay > TimeSpan.Zero) await Task.Delay(chunkDelay, cancel);
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(chunks[i]), cancel);
            await context.Response.Body.FlushAsync(cancel);
        }
        if (fault is DropFault) context.Abort();
        else if (fault is StallFault) await WaitUntilGoneAsync(cancel);
    }

    private static async Task WaitUntilGoneAsync(CancellationToken cancel)
    {
        try { await Task.Delay(Timeout.Infinite, cancel); }
        catch (OperationCanceledException) { }
    }
}
