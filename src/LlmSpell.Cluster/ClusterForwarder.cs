using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace LlmSpell.Cluster;

/// <summary>
/// Forwards a request (REST or a websocket upgrade) to the instance that owns the kernel, with YARP's forwarder. The
/// original Host travels along (the owner checks it as the first hop did), and a marker header stops a second hop.
/// </summary>
public sealed class ClusterForwarder(IHttpForwarder forwarder)
{
    public const string ForwardedHeader = "X-LlmSpell-Forwarded-By";

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
    });

    public static bool WasForwarded(HttpContext context) => context.Request.Headers.ContainsKey(ForwardedHeader);

    /// <returns>The forwarding error (none when the owner answered) and how long the hop took.</returns>
    public async Task<(ForwarderError Error, TimeSpan Elapsed)> ForwardAsync(HttpContext context, string ownerUrl, string fromInstance)
    {
        var started = Stopwatch.GetTimestamp();
        var error = await forwarder.SendAsync(context, ownerUrl, _client, ForwarderRequestConfig.Empty, new Transformer(fromInstance)).ConfigureAwait(false);
        return (error, Stopwatch.GetElapsedTime(started));
    }

    private sealed class Transformer(string fromInstance) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.Headers.Host = httpContext.Request.Host.Value;
            proxyRequest.Headers.TryAddWithoutValidation(ForwardedHeader, fromInstance);
        }
    }
}
