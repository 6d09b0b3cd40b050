using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>
/// GET /api: the service version, without the token, as Jupyter Server answers its own GET /api (a client probing
/// "is this a Jupyter-style server, which version?" learns nothing else).
/// </summary>
public static class VersionApi
{
    public static RouteHandlerBuilder MapVersionApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api", Version).WithTags("Service").WithName("GetApiVersion")
            .WithSummary("The service version, {\"version\": \"...\"}, as Jupyter Server's GET /api; needs no token")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status400BadRequest) // Host not allowed
            .ProducesProblem(StatusCodes.Status403Forbidden) // Origin not allowed
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static Ok<ApiVersion> Version() => TypedResults.Ok(new ApiVersion(ServiceRuntime.Version));
}
