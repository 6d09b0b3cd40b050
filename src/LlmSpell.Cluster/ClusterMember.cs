using System.Text.Json.Serialization;

namespace LlmSpell.Cluster;

/// <summary>What an instance says about itself to its peers (GET /api/cluster/self), and what they place kernels by.</summary>
public sealed record ClusterMember(
    string InstanceId,
    string Tag,
    string Url,
    bool Ready,
    bool Draining,
    int Kernels,
    int BusyKernels,
    int MaxKernels)
{
    /// <summary>Whether it takes another kernel (derived, so not sent).</summary>
    [JsonIgnore]
    public bool HasRoom => Ready && !Draining && Kernels < MaxKernels;

    /// <summary>Lower is less loaded: busy kernels weigh more than idle ones.</summary>
    [JsonIgnore]
    public double Load => MaxKernels <= 0 ? double.MaxValue : (Kernels + BusyKernels) / (double)MaxKernels;
}

/// <summary>A peer as this instance last saw it.</summary>
public sealed record PeerState(string Url, ClusterMember? Member, bool Up, DateTimeOffset LastChecked, string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClusterMember))]
[JsonSerializable(typeof(PeerState))]
[JsonSerializable(typeof(List<PeerState>))]
public sealed partial class ClusterJsonContext : JsonSerializerContext;
