using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace LlmSpell.Server.Logging;

/// <summary>
/// <c>[logging] format = "json"</c>: Serilog's compact JSON (CLEF: <c>@t</c>, <c>@mt</c>, <c>@l</c>, <c>@x</c>, then the
/// properties, among them <c>SourceContext</c> and <c>EventId</c>), one object per line. CLEF leaves <c>@l</c> out for
/// Information; log collectors that do not know that rule would see no level, so it is always written here.
/// </summary>
public sealed class JsonLogFormatter : ITextFormatter
{
    private const string InformationLevel = "\"@l\":\"Information\",";
    private readonly CompactJsonFormatter _compact = new();

    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (logEvent.Level != LogEventLevel.Information)
        {
            _compact.Format(logEvent, output);
            return;
        }
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        _compact.Format(logEvent, buffer);
        var json = buffer.ToString();
        // The object starts {"@t":"<ISO 8601 timestamp>", (no quote or comma inside the timestamp): @l goes after it.
        var afterTimestamp = json.StartsWith("{\"@t\":\"", StringComparison.Ordinal) ? json.IndexOf("\",", 7, StringComparison.Ordinal) : -1;
        var at = afterTimestamp < 0 ? 1 : afterTimestamp + 2;
        output.Write(json.AsSpan(0, at));
        output.Write(InformationLevel);
        output.Write(json.AsSpan(at));
    }
}
