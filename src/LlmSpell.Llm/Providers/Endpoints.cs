using System.Net;

namespace LlmSpell.Llm.Providers;

/// <summary>Checks a base_url before anything is sent to it: absolute http(s), and plain http only on loopback unless allowed.</summary>
internal static class Endpoints
{
    /// <summary>The parsed <paramref name="baseUrl"/>; throws an <see cref="LlmException"/> saying what to change.</summary>
    /// <param name="origin">"[providers.NAME] base_url" or "the script's base_url", for the message.</param>
    public static Uri Validate(string baseUrl, ProviderSettings settings, string origin)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new LlmException($"provider '{settings.Name}': {origin} '{baseUrl}' is not an absolute http:// or https:// URL", settings.Name);
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri) && !settings.AllowInsecureHttp)
            throw new LlmException(
                $"provider '{settings.Name}': {origin} {uri.GetLeftPart(UriPartial.Authority)} uses plain http:// to a non-loopback host, " +
                $"which would send the key and the conversation unencrypted; use https:// or set allow_insecure_http = true in [providers.{settings.Name}]",
                settings.Name);
        return uri;
    }

    /// <summary><paramref name="relative"/> appended to the path of <paramref name="baseUri"/> (which may itself have a path, like /v1).</summary>
    public static Uri Append(Uri baseUri, string relative)
    {
        var text = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(text + "/" + relative.TrimStart('/'));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
