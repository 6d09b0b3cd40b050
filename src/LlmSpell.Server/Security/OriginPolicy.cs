using System.Net;

namespace LlmSpell.Server.Security;

/// <summary>
/// Interprets <c>security.allowed_origins</c>. An entry is a host ("localhost": http and https, any port), a host and
/// port ("localhost:8888"), a full origin ("https://notebooks.example.com": exactly that scheme, host and port) or "*".
/// </summary>
public sealed class OriginPolicy
{
    private readonly List<(string? Scheme, string Host, int? Port)> _entries = [];
    private readonly bool _any;

    public OriginPolicy(IEnumerable<string> allowedOrigins)
    {
        foreach (var raw in allowedOrigins)
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            if (entry == "*") { _any = true; continue; }
            if (entry.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(entry, UriKind.Absolute, out var uri))
                _entries.Add((uri.Scheme, Normalize(uri.Host), uri.Port));
            else if (Uri.TryCreate("http://" + entry, UriKind.Absolute, out var hostOnly))
                _entries.Add((null, Normalize(hostOnly.Host), hostOnly.IsDefaultPort && !entry.EndsWith(":80", StringComparison.Ordinal) ? null : hostOnly.Port));
        }
    }

    public bool AllowsAny => _any;

    /// <summary>Whether a browser page served from <paramref name="origin"/> (an Origin header value) may call the API.</summary>
    public bool IsOriginAllowed(string origin)
    {
        if (_any) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/") return false;
        var host = Normalize(uri.Host);
        return _entries.Any(e => (e.Scheme is null || e.Scheme == uri.Scheme) && e.Host == host && (e.Port is null || e.Port == uri.Port));
    }

    /// <summary>
    /// Whether the Host header names this service. IP literals and "localhost" cannot be re-pointed by a foreign DNS
    /// zone; any other name must be listed in allowed_origins (DNS-rebinding defence).
    /// </summary>
    public bool IsHostAllowed(string hostWithoutPort)
    {
        if (_any) return true;
        var host = Normalize(hostWithoutPort);
        if (host.Length == 0) return false;
        if (host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out _)) return true;
        return _entries.Any(e => e.Host == host);
    }

    private static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
