using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Cluster;

/// <summary>
/// The peers and what they last said about themselves: each is asked GET /api/cluster/self every poll interval
/// (peers_dns is re-resolved every DNS interval). A peer that does not answer is down at once, so its kernels
/// become honest 404s within one interval; it is up again as soon as it answers.
/// </summary>
public sealed partial class PeerDirectory(ClusterSettings settings, ILogger<PeerDirectory> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, PeerState> _peers = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = settings.PeerTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = settings.PeerTimeout,
    };
    private IReadOnlyList<string> _urls = settings.Peers.Select(Normalize).ToList();
    private DateTimeOffset _resolvedAt = DateTimeOffset.MinValue;

    public ClusterSettings Settings => settings;

    public IReadOnlyCollection<PeerState> Peers => _peers.Values.OrderBy(p => p.Url, StringComparer.Ordinal).ToList();

    /// <summary>The up peer that owns kernels with this tag, if any.</summary>
    public ClusterMember? Owner(uint tag) =>
        _peers.Values.FirstOrDefault(p => p.Up && p.Member is { } m && m.Tag == OwnerTags.Format(tag))?.Member;

    /// <summary>Counts a kernel just placed on a peer until its next poll, so a burst of starts is spread out.</summary>
    public void NotePlaced(string instanceId)
    {
        foreach (var (url, state) in _peers)
            if (state.Member is { } m && m.InstanceId == instanceId)
                _peers.TryUpdate(url, state with { Member = m with { Kernels = m.Kernels + 1 } }, state);
    }

    public IEnumerable<ClusterMember> UpMembers => _peers.Values.Where(p => p.Up && p.Member is not null).Select(p => p.Member!);

    /// <summary>Polls every peer once now (tests and start-up use it so the first requests need not wait).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await ResolveAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_urls.Select(url => PollAsync(url, cancellationToken))).ConfigureAwait(false);
        foreach (var gone in _peers.Keys.Except(_urls, StringComparer.OrdinalIgnoreCase).ToList()) _peers.TryRemove(gone, out _);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.RefreshFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task ResolveAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(settings.PeersDns) || DateTimeOffset.UtcNow - _resolvedAt < settings.DnsInterval) return;
        var advertised = new Uri(settings.AdvertiseUrl);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(settings.PeersDns, cancellationToken).ConfigureAwait(false);
            _urls = addresses.Select(a => Normalize(new UriBuilder(advertised.Scheme, a.ToString(), advertised.Port).Uri.ToString())).Distinct().ToList();
            _resolvedAt = DateTimeOffset.UtcNow;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Log.DnsFailed(logger, settings.PeersDns, e.Message);
        }
    }

    private async Task PollAsync(string url, CancellationToken cancellationToken)
    {
        PeerState state;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(url), "/api/cluster/self"));
            request.Headers.Authorization = new AuthenticationHeaderValue("token", settings.Token);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var member = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                ClusterJsonContext.Default.ClusterMember, cancellationToken).ConfigureAwait(false);
            state = new PeerState(url, member, member is not null && member.InstanceId != settings.InstanceId, DateTimeOffset.UtcNow, null);
            if (member?.InstanceId == settings.InstanceId) state = state with { Error = "this instance" };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            state = new PeerState(url, _peers.TryGetValue(url, out var last) ? last.Member : null, false, DateTimeOffset.UtcNow, e.Message);
        }
        var previous = _peers.TryGetValue(url, out var p) ? p : null;
        _peers[url] = state;
        if (previous is null || previous.Up != state.Up)
        {
            if (state.Up) Log.PeerUp(logger, url, state.Member!.InstanceId);
            else if (state.Error != "this instance") Log.PeerDown(logger, url, state.Error ?? "");
        }
    }

    private static string Normalize(string url) => url.TrimEnd('/');

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Cluster peer {Url} is up (instance {InstanceId})")]
        public static partial void PeerUp(ILogger logger, string url, string instanceId);

        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Cluster peer {Url} is down: {Reason}")]
        public static partial void PeerDown(ILogger logger, string url, string reason);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Could not resolve the peers' DNS name {Name}: {Reason}")]
        public static partial void DnsFailed(ILogger logger, string name, string reason);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Refreshing the cluster peers failed: {Reason}")]
        public static partial void RefreshFailed(ILogger logger, string reason);
    }
}
