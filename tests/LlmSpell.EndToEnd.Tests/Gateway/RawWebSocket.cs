using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>A .NET ClientWebSocket speaking Jupyter's legacy websocket protocol, for what python3-websocket is too slow to read.</summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly ClientWebSocket _socket;

    private RawWebSocket(ClientWebSocket socket) => _socket = socket;

    public static async Task<RawWebSocket> ConnectAsync(Uri url, string token, int? receiveBuffer = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + token);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBuffer is { } size) s.ReceiveBufferSize = size;
                await s.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        await socket.ConnectAsync(url, invoker, CancellationToken.None);
        return new RawWebSocket(socket);
    }

    public sealed record Outcome(long StreamBytes, string? Result, string Status);

    /// <summary>Sends an execute_request and reads until both its reply and its idle status came.</summary>
    public async Task<Outcome> ExecuteAsync(string code, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var id = Guid.NewGuid().ToString("N");
        var message = new JsonObject
        {
            ["header"] = new JsonObject { ["msg_id"] = id, ["msg_type"] = "execute_request", ["session"] = "raw", ["username"] = "e2e",
                ["date"] = DateTime.UtcNow.ToString("O"), ["version"] = "5.3" },
            ["parent_header"] = new JsonObject(), ["metadata"] = new JsonObject(), ["channel"] = "shell",
            ["content"] = new JsonObject { ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false },
        };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
        long stream = 0;
        string? result = null, status = null;
        var idle = false;
        var buffer = new byte[1 << 20];
        using var assembled = new MemoryStream();
        while (status is null || !idle)
        {
            assembled.SetLength(0);
            WebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"closed: {r.CloseStatus} {r.CloseStatusDescription}");
                assembled.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            using var doc = JsonDocument.Parse(assembled.ToArray());
            var root = doc.RootElement;
            if (!root.GetProperty("parent_header").TryGetProperty("msg_id", out var parent) || parent.GetString() != id) continue;
            var content = root.GetProperty("content");
            switch (root.GetProperty("msg_type").GetString())
            {
                case "stream": stream += Encoding.UTF8.GetByteCount(content.GetProperty("text").GetString()!); break;
                case "execute_result": result = content.GetProperty("data").GetProperty("text/plain").GetString(); break;
                case "status": idle |= content.GetProperty("execution_state").GetString() == "idle"; break;
                case "execute_reply": status = content.GetProperty("status").GetString(); break;
            }
        }
        return new Outcome(stream, result, status);
    }

    /// <summary>Reads what is left: true once the server has dropped the connection (aborted or closed).</summary>
    public async Task<bool> IsDroppedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close) return true;
            }
        }
        catch (WebSocketException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    public void Dispose() => _socket.Dispose();
}
