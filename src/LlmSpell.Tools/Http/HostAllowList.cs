using System.Globalization;

namespace LlmSpell.Tools.Http;

/// <summary>
/// The hosts http-requester may reach. Entries: a host name or IP ("api.example.com", "127.0.0.1", "[::1]"), any subdomain
/// ("*.example.com", which does not match example.com itself), either with a port to allow only that port
/// ("127.0.0.1:8080"). Names compare case-insensitively; a URL given as an entry counts as its host and port.
/// </summary>
internal sealed class HostAllowList
{
    private readonly record struct Entry(string Host, bool Subdomains, int? Port);

    private readonly List<Entry> _entries;

    public HostAllowList(IEnumerable<string> entries) =>
        _entries = [.. entries.Select(e => e.Trim()).Where(e => e.Length > 0).Select(Parse)];

    public bool IsEmpty => _entries.Count == 0;

    public bool Allows(Uri uri)
    {
        var host = Normalize(uri.Host);
        return _entries.Any(e => (e.Port is null || e.Port == uri.Port)
            && (e.Subdomains ? host.EndsWith("." + e.Host, StringComparison.Ordinal) : host == e.Host));
    }

    private static Entry Parse(string text)
    {
        if (text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var url))
            return new Entry(Normalize(url.Host), false, url.IsDefaultPort && !HasExplicitPort(text) ? null : url.Port);

        var subdomains = text.StartsWith("*.", StringComparison.Ordinal);
        if (subdomains) text = text[2..];
        string host = text;
        int? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            host = close > 0 ? text[..(close + 1)] : text;
            if (close > 0 && close + 2 < text.Length && text[close + 1] == ':') port = ParsePort(text[(close + 2)..]);
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            port = ParsePort(text[(colon + 1)..]);
        }
        return new Entry(Normalize(host), subdomains, port);
    }

    private static bool HasExplicitPort(string url) =>
        url.IndexOf("://", StringComparison.Ordinal) is var scheme && url[(scheme + 3)..].Split('/')[0].Contains(':');

    private static int? ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : null;

    private static string Normalize(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
