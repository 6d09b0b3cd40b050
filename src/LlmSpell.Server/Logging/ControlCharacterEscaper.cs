using LlmSpell.Kernel.Logging;
using Serilog.Core;
using Serilog.Events;

namespace LlmSpell.Server.Logging;

/// <summary>
/// Escapes control characters in every logged string value (request paths, hosts, anything a client sent), so no
/// value can forge a log line or send terminal escapes. Our own multi-line values are left as they are.
/// </summary>
public sealed class ControlCharacterEscaper : ILogEventEnricher
{
    private static readonly HashSet<string> OwnMultiLine = new(StringComparer.Ordinal) { "NewLine", "Problems" };

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (OwnMultiLine.Contains(name) || value is not ScalarValue { Value: string text } || !LogSafe.NeedsEscape(text)) continue;
            (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(LogSafe.Escape(text, int.MaxValue))));
        }
        foreach (var property in escaped ?? []) logEvent.AddOrUpdateProperty(property);
    }
}
