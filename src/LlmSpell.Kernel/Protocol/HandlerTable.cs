using System.Collections.Frozen;

namespace LlmSpell.Kernel.Protocol;

/// <summary>
/// The one list of message types a channel understands, each with its handler. The known types
/// (anything else is counted as unknown and answered with an error) and the metric labels come from it.
/// </summary>
internal sealed class HandlerTable<THandler>
{
    private readonly FrozenDictionary<string, THandler> _handlers;

    public HandlerTable(IDictionary<string, THandler> handlers)
    {
        _handlers = handlers.ToFrozenDictionary(StringComparer.Ordinal);
        Types = _handlers.Keys.ToFrozenSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string> Types { get; }

    public bool TryGet(string msgType, out THandler handler) => _handlers.TryGetValue(msgType, out handler!);
}
