using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using LlmSpell.Gateway.Wire;
using LlmSpell.Gateway.Zmq;
using LlmSpell.Kernel;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Gateway.WebSockets;

/// <summary>
/// One websocket bridged to one kernel. A reader loop turns client messages into signed kernel messages; the kernel's
/// messages wait in a bounded queue for the one writer loop (a websocket allows one send at a time). A client that stops
/// reading fills its queue and is dropped; the kernel and the other clients never wait for it.
/// </summary>
internal sealed partial class ChannelsConnection : IGatewayConnection
{
    private readonly WebSocket _socket;
    private readonly JupyterKernel _kernel;
    private readonly string? _subprotocol;
    private readonly GatewayOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Outbound> _queue;
    private readonly NudgeTracker _nudges;
    private readonly KernelChannelClient _client;
    private readonly string _name;
    private static readonly TimeSpan KernelStopLinger = TimeSpan.FromMilliseconds(300);
    private long _queuedBytes;
    private int _closing;

    public ChannelsConnection(WebSocket socket, JupyterKernel kernel, string? subprotocol, string name, ZmqClientHub hub,
        GatewayOptions options, ILogger logger)
    {
        _socket = socket;
        _kernel = kernel;
        _subprotocol = subprotocol;
        _options = options;
        _logger = logger;
        _name = name;
        _queue = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(options.MaxQueuedMessages + 1) { SingleReader = true });
        _nudges = new NudgeTracker(kernel.SessionId);
        var identity = new byte[ChannelsGateway.IdentityPrefix.Length + 16];
        ChannelsGateway.IdentityPrefix.CopyTo(identity, 0);
        RandomNumberGenerator.Fill(identity.AsSpan(ChannelsGateway.IdentityPrefix.Length));
        _client = new KernelChannelClient(hub, kernel.Connection, identity, FromKernel);
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        // Cancelled when this connection ends, which also takes the continuation off a long-lived kernel's task.
        using var ended = new CancellationTokenSource();
        // The kernel's last messages (a reply, its shutdown notice) may still be on their way through ZeroMQ when it
        // reports stopped: they get a moment to arrive before the close frame is queued behind them.
        _ = _kernel.Stopped.ContinueWith(async _ =>
        {
            await Task.Delay(KernelStopLinger, ended.Token).ConfigureAwait(false);
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, $"kernel {_kernel.Id} was shut down").ConfigureAwait(false);
        }, ended.Token, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        var writer = WriteLoopAsync();
        try
        {
            await NudgeAsync(aborted).ConfigureAwait(false);
            await ReadLoopAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            Log.Dropped(_logger, _name, e.Message);
        }
        finally
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
            if (await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false) != writer) _socket.Abort();
            _client.Dispose();
            await ended.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the connection with a close frame after what is queued, or at once if the client is not reading.</summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return Task.CompletedTask;
        if (!_queue.Writer.TryWrite(new Outbound(null, status, Truncate(reason)))) _socket.Abort();
        _queue.Writer.TryComplete();
        return Task.CompletedTask;
    }

    private async Task NudgeAsync(CancellationToken aborted)
    {
        var deadline = DateTime.UtcNow + _options.NudgeTimeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (!_nudges.IopubLive.IsCompleted && DateTime.UtcNow < deadline)
        {
            _client.Send(_nudges.NextRequest(), () => { });
            await Task.WhenAny(_nudges.IopubLive, Task.Delay(delay, aborted)).ConfigureAwait(false);
            aborted.ThrowIfCancellationRequested();
            delay = TimeSpan.FromMilliseconds(Math.Min(500, delay.TotalMilliseconds * 2));
        }
        if (!_nudges.IopubLive.IsCompleted) Log.NudgeTimedOut(_logger, _name, _options.NudgeTimeout.TotalSeconds);
    }

    private async Task ReadLoopAsync(CancellationToken aborted)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (_socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), aborted).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return;
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _options.MaxMessageBytes)
            {
                Log.TooLarge(_logger, _name, _options.MaxMessageBytes);
                await CloseAsync(WebSocketCloseStatus.MessageTooBig,
                    $"message larger than {_options.MaxMessageBytes / (1024 * 1024)} MB (security.max_message_size_mb)").ConfigureAwait(false);
                return;
            }
            if (!result.EndOfMessage) continue;
            var message = buffer.WrittenMemory;
            KernelMessageParts parts;
            try
            {
                parts = _subprotocol == V1Protocol.Name
                    ? result.MessageType == WebSocketMessageType.Binary ? V1Protocol.Decode(message) : throw new GatewayProtocolException("the v1 protocol sends binary messages only")
                    : result.MessageType == WebSocketMessageType.Text ? LegacyProtocol.DecodeText(message) : LegacyProtocol.DecodeBinary(message);
            }
            catch (GatewayProtocolException e)
            {
                Log.Invalid(_logger, _name, e.Message);
                await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "invalid message: " + e.Message).ConfigureAwait(false);
                return;
            }
            buffer.ResetWrittenCount();
            _client.Send(parts, () => _ = CloseAsync((WebSocketCloseStatus)1013, "the kernel's input queue is full; try again later"));
        }
    }

    /// <summary>On the ZeroMQ poller thread: queue for the writer, or drop this client if it has fallen too far behind.</summary>
    private void FromKernel(KernelMessageParts message)
    {
        if (_nudges.IsOwn(message)) return;
        var item = new Outbound(message);
        var bytes = Interlocked.Add(ref _queuedBytes, item.Size);
        if (bytes > _options.MaxQueuedBytes || _queue.Reader.Count >= _options.MaxQueuedMessages || !_queue.Writer.TryWrite(item))
        {
            if (Interlocked.Exchange(ref _closing, 1) == 0)
            {
                Log.SlowClient(_logger, _name, _queue.Reader.Count, bytes);
                _queue.Writer.TryComplete();
                _socket.Abort();
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Message is { } message)
                {
                    Interlocked.Add(ref _queuedBytes, -item.Size);
                    if (_subprotocol == V1Protocol.Name)
                        await _socket.SendAsync(V1Protocol.Encode(message), WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
                    else
                    {
                        var (payload, text) = LegacyProtocol.Encode(message);
                        await _socket.SendAsync(payload, text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
                    }
                    continue;
                }
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseOutputAsync(item.CloseStatus, item.CloseReason, timeout.Token).ConfigureAwait(false);
                }
                return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or was dropped; the reader sees it too.
        }
    }

    /// <summary>A close reason is at most 123 bytes of UTF-8.</summary>
    private static string Truncate(string reason)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(reason) > 123) reason = reason[..^1];
        return reason;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Websocket {Connection}: closed for an invalid message: {Problem}")]
        public static partial void Invalid(ILogger logger, string connection, string problem);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Websocket {Connection}: closed for a message over {Limit} bytes")]
        public static partial void TooLarge(ILogger logger, string connection, long limit);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Websocket {Connection}: dropped a client that stopped reading ({Messages} messages, {Bytes} bytes queued)")]
        public static partial void SlowClient(ILogger logger, string connection, int messages, long bytes);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Websocket {Connection}: connection lost ({Reason})")]
        public static partial void Dropped(ILogger logger, string connection, string reason);

        [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Websocket {Connection}: no iopub message within {Seconds} s of connecting; output published before the subscription is live may be missed")]
        public static partial void NudgeTimedOut(ILogger logger, string connection, double seconds);
    }
}
