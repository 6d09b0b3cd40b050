namespace LlmSpell.Llm.Providers.Http;

/// <summary>
/// Caps every response body at max_response_bytes, for our clients and the OpenAI SDK alike: a declared
/// Content-Length over the cap fails at once, anything else fails when the running total passes it.
/// </summary>
internal sealed class ResponseSizeLimitHandler(long limit) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var original = response.Content;
        if (original.Headers.ContentLength > limit)
        {
            response.Dispose();
            throw new ResponseTooLargeException(limit);
        }
        var body = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var limited = new StreamContent(new LimitedReadStream(body, limit));
        foreach (var header in original.Headers)
            limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = limited;
        return response;
    }
}
