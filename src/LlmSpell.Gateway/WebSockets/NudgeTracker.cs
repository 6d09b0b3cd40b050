using System.Text;
using LlmSpell.Gateway.Wire;

namespace LlmSpell.Gateway.WebSockets;

/// <summary>
/// A new SUB socket misses what is published before its subscription reaches the kernel (ZeroMQ's slow joiner), so,
/// as Jupyter Server does, the connection sends kernel_info_requests until an iopub message arrives. The requests are
/// the gateway's own: their replies and statuses are not forwarded to the client.
/// </summary>
internal sealed class NudgeTracker(string kernelSession)
{
    private readonly HashSet<string> _ids = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _iopubSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task IopubLive => _iopubSeen.Task;

    public KernelMessageParts NextRequest()
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate) _ids.Add(id);
        var header = $$"""{"msg_id":"{{id}}","msg_type":"kernel_info_request","session":"{{kernelSession}}","username":"llmspell-gateway","date":"{{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}}","version":"5.3"}""";
        return new KernelMessageParts("shell", Encoding.UTF8.GetBytes(header), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), []);
    }

    /// <summary>Whether a message from the kernel answers one of the nudges (and so stays with the gateway).</summary>
    public bool IsOwn(KernelMessageParts message)
    {
        if (message.Channel == "iopub") _iopubSeen.TrySetResult();
        lock (_gate) if (_ids.Count == 0) return false;
        string? parent;
        try
        {
            parent = HeaderFields.Read(message.ParentHeader).MsgId;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        if (parent is null) return false;
        lock (_gate) return _ids.Contains(parent);
    }
}
