namespace LlmSpell.Server.Config;

/// <summary>[cluster]: several instances behind one URL, each answering for every kernel (kernels routed by id).</summary>
public sealed class ClusterSection
{
    public bool Enabled { get; set; }

    /// <summary>This instance's name among its peers; empty = the host name (a StatefulSet pod's name).</summary>
    public string? InstanceId { get; set; }

    /// <summary>How peers reach this instance, e.g. http://llmspell-0.llmspell-peers:9555; empty = derived from the bind address and port.</summary>
    public string? AdvertiseUrl { get; set; }

    /// <summary>A static list of every instance's URL (this one may be among them).</summary>
    public string[] Peers { get; set; } = [];

    /// <summary>A headless Service name whose A records are the peers (re-resolved periodically), instead of <see cref="Peers"/>.</summary>
    public string? PeersDns { get; set; }

    /// <summary>Seconds running cells may take to finish after SIGTERM before the instance exits anyway.</summary>
    public int DrainTimeout { get; set; } = 30;

    private static readonly SectionKeys<ClusterSection> K = new("cluster", o => o.Cluster);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Bool("enabled", s => s.Enabled, (s, v) => s.Enabled = v),
        K.Str("instance_id", s => s.InstanceId, (s, v) => s.InstanceId = v,
            check: v => v.Length is > 0 and <= 63 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
                ? null : $"must be 1-63 letters, digits, '-', '.' or '_' (a pod name), found \"{v}\""),
        K.Str("advertise_url", s => s.AdvertiseUrl, (s, v) => s.AdvertiseUrl = v,
            check: v => IsHttpUrl(v) ? null : $"must be an http:// or https:// URL such as http://llmspell-0.llmspell-peers:9555, found \"{v}\""),
        K.StrArray("peers", s => s.Peers, (s, v) => s.Peers = v,
            check: v => v.FirstOrDefault(p => !IsHttpUrl(p)) is { } bad ? $"must list http:// or https:// URLs, found \"{bad}\"" : null),
        K.Str("peers_dns", s => s.PeersDns, (s, v) => s.PeersDns = v,
            check: v => Uri.CheckHostName(v) == UriHostNameType.Dns ? null : $"must be a DNS name such as llmspell-peers.default.svc.cluster.local, found \"{v}\""),
        K.Int("drain_timeout", s => s.DrainTimeout, (s, v) => s.DrainTimeout = v,
            check: v => v < 0 ? $"must be 0 (exit at once) or a number of seconds, found {v}" : null),
    ];

    internal static IEnumerable<(string Key, string Message)> CrossChecks(ClusterSection s)
    {
        if (s.Enabled && s.Peers.Length > 0 && !string.IsNullOrEmpty(s.PeersDns))
            yield return ("cluster:peers_dns", "set either peers (a static list) or peers_dns (a headless Service), not both");
    }

    private static bool IsHttpUrl(string v) =>
        Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Host.Length > 0;
}
