using LlmSpell.Cluster;
using LlmSpell.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Cluster;

/// <summary>GET /api/cluster (this instance and its peers as it sees them) and GET /api/cluster/self (what peers poll).</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cluster").WithTags("Cluster").ProducesGuardProblems();
        group.MapGet("/", Overview).WithName("ClusterOverview")
            .WithSummary("This instance and every peer with its state (up or down, kernels, load); 404 when [cluster] enabled is false")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/self", Self).WithName("ClusterSelf")
            .WithSummary("What this instance tells its peers: instance id, owner tag, URL, readiness, kernels and capacity")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static Results<Ok<ClusterOverview>, ProblemHttpResult> Overview(HttpContext context) =>
        context.RequestServices.GetService<ClusterSelf>() is { } self
            ? TypedResults.Ok(new ClusterOverview(self.Describe(), context.RequestServices.GetRequiredService<PeerDirectory>().Peers.ToList()))
            : Off();

    private static Results<Ok<ClusterMember>, ProblemHttpResult> Self(HttpContext context) =>
        context.RequestServices.GetService<ClusterSelf>() is { } self ? TypedResults.Ok(self.Describe()) : Off();

    private static ProblemHttpResult Off() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster mode is off",
        detail: "This instance runs alone: set [cluster] enabled = true with peers or peers_dns to join a cluster.");
}

public sealed record ClusterOverview(ClusterMember Self, List<PeerState> Peers);
