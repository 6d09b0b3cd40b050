using System.Net;

namespace LlmSpell.Llm.Providers.Http;

/// <summary>The HttpClient of one provider. No HttpClient logging is added anywhere: its headers would include the key.</summary>
internal static class ProviderHttpClients
{
    public static HttpClient Create(long maxResponseBytes)
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
        };
        // Timeouts belong to the resilience pipeline (total and stream idle), not to HttpClient.
        return new HttpClient(new ResponseSizeLimitHandler(maxResponseBytes) { InnerHandler = sockets })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
