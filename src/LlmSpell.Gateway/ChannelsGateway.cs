using System.Net.WebSockets;
using LlmSpell.Gateway.WebSockets;
using LlmSpell.Gateway.Wire;
using LlmSpell.Gateway.Zmq;
using LlmSpell.Kernel;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Gateway;

/// <summary>
/// The websocket side of the Jupyter kernel gateway protocol (GET /api/kernels/{id}/channels): each connection
/// becomes a Jupyter client of the in-process kernel over ZeroMQ, with its own identity and iopub subscription.
/// </summary>
public sealed partial class ChannelsGateway(GatewayConnections connections, GatewayOptions options, ILogger<ChannelsGateway> logger) : IDisposable
{
    /// <summary>Starts the ZeroMQ identity of every gateway connection (the kernel leaves them out of its own client count).</summary>
    public static readonly byte[] IdentityPrefix = "llmspell-ws:"u8.ToArray();

    private readonly ZmqClientHub _hub = new();

    public GatewayOptions Options => options;

    /// <summary>The subprotocol to accept: v1 when the client offers it, else none (the legacy JSON protocol).</summary>
    public static string? SelectSubprotocol(IEnumerable<string> offered) => offered.Contains(V1Protocol.Name, StringComparer.Ordinal) ? V1Protocol.Name : null;

    /// <summary>Bridges an accepted websocket to <paramref name="kernel"/> until either side closes.</summary>
    /// <param name="client">Who is connected (remote address, user), for the logs.</param>
    public async Task RunAsync(WebSocket socket, JupyterKernel kernel, string? subprotocol, string client, CancellationToken aborted)
    {
        var name = $"{kernel.Id[..Math.Min(8, kernel.Id.Length)]}/{client}";
        var connection = new ChannelsConnection(socket, kernel, subprotocol, name, _hub, options, logger);
        using var registration = connections.Add(kernel.Id, connection);
        Log.Opened(logger, kernel.Id, client, subprotocol ?? "legacy", connections.Count(kernel.Id));
        try
        {
            await connection.RunAsync(aborted).ConfigureAwait(false);
        }
        finally
        {
            Log.Closed(logger, kernel.Id, client, socket.CloseStatus?.ToString() ?? socket.State.ToString());
        }
    }

    public void Dispose() => _hub.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Websocket opened to kernel {KernelId} by {Client} ({Protocol} protocol); {Count} open to it")]
        public static partial void Opened(ILogger logger, string kernelId, string client, string protocol, int count);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Websocket to kernel {KernelId} from {Client} closed ({Status})")]
        public static partial void Closed(ILogger logger, string kernelId, string client, string status);
    }
}
