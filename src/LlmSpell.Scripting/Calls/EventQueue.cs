using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace LlmSpell.Scripting;

/// <summary>
/// Events from calls running elsewhere (streamed text, a tool the model wants, the end of a call) for the Lua
/// thread, which takes them between short waits so interrupts still reach it.
/// </summary>
internal sealed class EventQueue
{
    private readonly BlockingCollection<string> _events = new(new ConcurrentQueue<string>());

    public void Post(JsonObject ev) => _events.Add(ev.ToJsonString());

    /// <summary>The next event, or null after <paramref name="timeout"/>.</summary>
    public string? Take(TimeSpan timeout) => _events.TryTake(out var ev, timeout) ? ev : null;

    public void Clear()
    {
        while (_events.TryTake(out _)) { }
    }
}
