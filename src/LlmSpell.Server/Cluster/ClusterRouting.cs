using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.Cluster;
using LlmSpell.Server.Api;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Metrics;
using LlmSpell.Server.Security;
using Yarp.ReverseProxy.Forwarder;

namespace LlmSpell.Server.Cluster;

/// <summary>
/// Cluster mode's glue: a request for a kernel another instance owns is forwarded to it (the owner is in the kernel
/// id, so no lookup is broadcast), POST /api/kernels goes to the least-loaded instance with room, and GET /api/kernels
/// lists every instance's kernels.
/// </summary>
public sealed partial class ClusterRouting(ClusterSelf self, PeerDirectory peers, ClusterForwarder forwarder, KernelManager kernels,
    IProblemDetailsService problems, ILogger<ClusterRouting> logger)
{
    public const string PlacedHeader = "X-LlmSpell-Placed";
    public const string UnreachableHeader = "X-LlmSpell-Unreachable";
    private static readonly HttpClient Fanout = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Runs after authentication and authorization, before the endpoint.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/api/kernels", StringComparison.Ordinal) || ClusterForwarder.WasForwarded(context) || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // api, kernels, {id}, ...
        if (segments.Length == 2 && HttpMethods.IsPost(context.Request.Method) && !context.Request.Headers.ContainsKey(PlacedHeader))
        {
            await PlaceAsync(context, next);
            return;
        }
        if (segments.Length >= 3 && kernels.Find(segments[2]).Kernel is null && OwnerTags.TryRead(segments[2], out var tag) && !self.Owns(segments[2]))
        {
            await ForwardToOwnerAsync(context, segments[2], tag);
            return;
        }
        await next(context);
    }

    private async Task ForwardToOwnerAsync(HttpContext context, string kernelId, uint tag)
    {
        if (peers.Owner(tag) is not { } owner)
        {
            LlmSpellMetrics.ClusterForwarded.WithLabels("owner_gone").Inc();
            await WriteProblemAsync(context, StatusCodes.Status404NotFound, "Kernel not found",
                $"No kernel with id '{kernelId}': the instance that owned it (tag {OwnerTags.Format(tag)}) is not in the cluster any more, and its kernels ended with it. Start a new kernel.");
            return;
        }
        // The address it was polled at (an IP with peers_dns), not its advertised name, which the Host check may not know.
        var (error, elapsed) = await forwarder.ForwardAsync(context, owner.Url, self.InstanceId);
        // A websocket ends with an "error" when either side closes it: what counts is whether the owner answered.
        LlmSpellMetrics.ClusterForwarded.WithLabels(error == ForwarderError.None || context.Response.HasStarted ? "ok" : "error").Inc();
        LlmSpellMetrics.ClusterForwardSeconds.Observe(elapsed.TotalSeconds);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            Log.ForwardFailed(logger, kernelId, owner.Member!.InstanceId, error.ToString());
            await WriteProblemAsync(context, StatusCodes.Status404NotFound, "Kernel not found",
                $"No kernel with id '{kernelId}': its instance {owner.Member.InstanceId} did not answer ({error}).");
        }
    }

    /// <summary>The least-loaded instance with room takes the kernel; this one when it is as good as any.</summary>
    private async Task PlaceAsync(HttpContext context, RequestDelegate next)
    {
        var local = self.Describe();
        var candidates = peers.UpMembers.Append(local).Where(m => m.HasRoom).OrderBy(m => m.Load)
            .ThenBy(m => m.InstanceId == local.InstanceId ? 0 : 1).ToList();
        if (candidates.Count == 0)
        {
            await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Cluster full",
                $"No instance can take another kernel: {1 + peers.UpMembers.Count()} instance(s) are up, each at its [kernels] max_kernels or draining. Stop kernels (DELETE /api/kernels/{{id}}), raise max_kernels, or add instances.");
            return;
        }
        var target = candidates[0];
        if (target.InstanceId == local.InstanceId)
        {
            context.Request.Headers[PlacedHeader] = self.InstanceId;
            await next(context);
            return;
        }
        context.Request.Headers[PlacedHeader] = self.InstanceId;
        peers.NotePlaced(target.InstanceId);
        var (error, elapsed) = await forwarder.ForwardAsync(context, peers.UrlOf(target), self.InstanceId);
        LlmSpellMetrics.ClusterForwarded.WithLabels(error == ForwarderError.None ? "placed" : "error").Inc();
        LlmSpellMetrics.ClusterForwardSeconds.Observe(elapsed.TotalSeconds);
        if (error != ForwarderError.None && !context.Response.HasStarted)
            await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Placement failed",
                $"Instance {target.InstanceId} was chosen for the kernel but did not answer ({error}); retry.");
    }

    /// <summary>Every up peer's kernels, each asked with a short timeout; the instances that did not answer are named.</summary>
    public async Task<(List<KernelModel> Kernels, List<string> Unreachable)> RemoteKernelsAsync(string token, CancellationToken cancellationToken)
    {
        var members = peers.Peers.ToList();
        var results = await Task.WhenAll(members.Select(async p =>
        {
            if (!p.Up || p.Member is null) return (p.Member?.InstanceId ?? p.Url, (KernelModel[]?)null);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(p.Url), "/api/kernels"));
                request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
                request.Headers.TryAddWithoutValidation(ClusterForwarder.ForwardedHeader, self.InstanceId);
                using var response = await Fanout.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                return (p.Member.InstanceId, await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken),
                    ApiJsonContext.Default.KernelModelArray, cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                return (p.Member.InstanceId, null);
            }
        }));
        return (results.Where(r => r.Item2 is not null).SelectMany(r => r.Item2!).ToList(),
            results.Where(r => r.Item2 is null && r.Item1 != self.InstanceId).Select(r => r.Item1).ToList());
    }

    private Task WriteProblemAsync(HttpContext context, int status, string title, string detail) =>
        SecurityProblems.WriteAsync(problems, context, status, title, detail);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Forwarding a request for kernel {KernelId} to {Instance} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string kernelId, string instance, string error);
    }
}
