namespace LlmSpell.Cluster;

/// <summary>How this instance finds and reaches its peers (from [cluster]).</summary>
public sealed record ClusterSettings
{
    public required string InstanceId { get; init; }
    public required string AdvertiseUrl { get; init; }
    public IReadOnlyList<string> Peers { get; init; } = [];
    public string? PeersDns { get; init; }

    /// <summary>The service secret: peers present it as their token.</summary>
    public required string Token { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan DnsInterval { get; init; } = TimeSpan.FromSeconds(10);

    public uint Tag => OwnerTags.Of(InstanceId);
}
