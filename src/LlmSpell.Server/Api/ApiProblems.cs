namespace LlmSpell.Server.Api;

/// <summary>
/// Documents the problem responses the security layer gives any /api operation before its handler runs
/// (RequestGuardMiddleware, authentication, the rate limiter); a handler's own problems are declared on its endpoint.
/// </summary>
public static class ApiProblems
{
    public static TBuilder ProducesGuardProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesProblem(StatusCodes.Status400BadRequest) // Host not allowed
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden) // Origin not allowed
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>For operations that take a body: over security.max_message_size_mb.</summary>
    public static RouteHandlerBuilder ProducesBodyProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status404NotFound);
}
