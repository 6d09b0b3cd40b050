using LlmSpell.Gateway;
using LlmSpell.Server.Kernels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>
/// GET /api/kernels/{id}/channels: the kernel's Jupyter channels over one websocket, as Jupyter Server's gateway
/// client and JupyterLab expect (legacy JSON protocol, or v1.kernel.websocket.jupyter.org when offered).
/// </summary>
public static class ChannelsApi
{
    public static RouteHandlerBuilder MapChannelsApi(this IEndpointRouteBuilder app) =>
        // Not in the OpenAPI document as an operation (Swagger UI cannot call a websocket); its info.description describes it.
        app.MapGet("/api/kernels/{id}/channels", Connect).WithName("KernelChannels").ExcludeFromDescription();

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Connect(string id, HttpContext context, KernelManager kernels,
        ChannelsGateway gateway)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Websocket endpoint",
                detail: "GET /api/kernels/{id}/channels is the kernel's websocket: connect with a websocket client (ws:// or wss://, \"Upgrade: websocket\"), sending the token in the Authorization header or ?token=.");
        if (KernelsApi.Lookup(id, kernels, out var kernel) is { } problem) return problem;
        var protocol = ChannelsGateway.SelectSubprotocol(context.WebSockets.WebSocketRequestedProtocols);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = protocol,
            KeepAliveInterval = gateway.Options.KeepAliveInterval,
            KeepAliveTimeout = gateway.Options.KeepAliveTimeout,
        });
        var session = context.Request.Query["session_id"].ToString();
        var client = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}" + (session.Length > 0 ? $" session {session[..Math.Min(64, session.Length)]}" : "");
        await gateway.RunAsync(socket, kernel!, protocol, client, context.RequestAborted);
        return TypedResults.Empty;
    }
}
