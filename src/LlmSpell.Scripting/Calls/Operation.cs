using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace LlmSpell.Scripting;

/// <summary>
/// One call in flight for a script (an agent call or a built-in tool), identified by a handle the Lua side
/// waits on. Cancelling it aborts its HTTP request.
/// </summary>
internal sealed class Operation(string handle, EventQueue events) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _tools = new();
    private int _toolCalls;

    public string Handle { get; } = handle;
    public CancellationToken Token => _cancel.Token;

    public void Post(JsonObject ev)
    {
        if (_cancel.IsCancellationRequested) return;
        ev["handle"] = Handle;
        events.Post(ev);
    }

    /// <summary>Asks the Lua thread to run a Lua tool handler; completes with its result or throws its error.</summary>
    public async Task<JsonNode?> RunLuaToolAsync(string name, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var callId = $"{Handle}.{Interlocked.Increment(ref _toolCalls)}";
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _tools[callId] = completion;
        using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        Post(new JsonObject { ["type"] = "tool", ["call_id"] = callId, ["name"] = name, ["arguments"] = arguments });
        try
        {
            return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            _tools.TryRemove(callId, out _);
        }
    }

    /// <summary>The Lua thread's answer to <see cref="RunLuaToolAsync"/>.</summary>
    public void CompleteTool(string callId, JsonNode? result, string? error)
    {
        if (!_tools.TryGetValue(callId, out var completion)) return;
        if (error is not null) completion.TrySetException(new ToolHandlerException(error));
        else completion.TrySetResult(result);
    }

    public void Cancel()
    {
        try { _cancel.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public void Dispose() => _cancel.Dispose();
}

/// <summary>A Lua tool handler raised an error; the model gets it as the tool's error result.</summary>
internal sealed class ToolHandlerException(string message) : Exception(message);
