namespace LlmSpell.Gateway;

/// <summary>Limits of the websocket gateway; the service sets them from its configuration.</summary>
public sealed record GatewayOptions
{
    /// <summary>Largest websocket message a client may send (security.max_message_size_mb); larger closes with 1009.</summary>
    public long MaxMessageBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Messages queued for one client that is not reading; beyond this (or <see cref="MaxQueuedBytes"/>) it is dropped.</summary>
    public int MaxQueuedMessages { get; init; } = 10_000;

    public long MaxQueuedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long to nudge a kernel (kernel_info_request) until this connection's iopub subscription is live.</summary>
    public TimeSpan NudgeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Websocket ping interval, and how long a pong may take before the connection is dropped.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
