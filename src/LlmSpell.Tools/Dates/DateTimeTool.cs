using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Dates;

/// <summary>datetime-handler: the current time, parsing, formatting, adding durations and differences between dates.</summary>
internal sealed class DateTimeTool(TimeProvider clock) : SynchronousTool
{
    public DateTimeTool() : this(TimeProvider.System) { }

    public override string Name => "datetime-handler";

    public override string Description =>
        "Dates and times. operation: now (the current time), parse (read a date), format (a date in another format or zone), " +
        "add (a date plus a duration), difference (other_date minus date, in seconds). Dates are ISO 8601 text, \"now\" or " +
        "unix seconds; text without an offset is UTC. Returns {\"result\": ..., \"iso8601\", \"unix\", \"offset\", \"year\", ...}.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["now", "parse", "format", "add", "difference"] },
            "date": { "type": ["string", "number"], "description": "The date (parse, format, difference; add, where it defaults to now): ISO 8601, \"now\" or unix seconds." },
            "other_date": { "type": ["string", "number"], "description": "difference: the later date; the result is other_date - date." },
            "duration": { "type": "string", "description": "add: ISO 8601 (P1DT2H, -PT30M) or units (\"2h 30m\", \"-3d\"; y mo w d h m s ms)." },
            "timezone": { "type": "string", "description": "Zone of the output: UTC, an offset (+02:00) or an IANA name (Europe/Berlin)." },
            "format": { "type": "string", "description": "Output format: iso8601 (default), rfc1123, unix, unix_ms, date, time, or a .NET pattern such as \"yyyy-MM-dd HH:mm\"." },
            "input_format": { "type": "string", "description": "How to read date: unix, unix_ms, or an exact .NET pattern such as \"dd.MM.yyyy\"." }
          },
          "required": ["operation"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var now = clock.GetUtcNow();
        switch (arguments.RequireString("operation"))
        {
            case "now":
                return DateOutput.Describe(arguments, DateInput.InZone(arguments, now));
            case "parse" or "format":
                return DateOutput.Describe(arguments, DateInput.InZone(arguments, DateInput.Read(arguments, "date", now)));
            case "add":
                var start = arguments.Has("date") ? DateInput.Read(arguments, "date", now) : now;
                return DateOutput.Describe(arguments, DateInput.InZone(arguments, Add(arguments, start)));
            default:
                return Difference(DateInput.Read(arguments, "date", now), DateInput.Read(arguments, "other_date", now));
        }
    }

    private static DateTimeOffset Add(ToolArguments arguments, DateTimeOffset date)
    {
        var text = arguments.RequireString("duration");
        if (!Duration.TryParse(text, out var duration)) throw arguments.Error($"cannot read the duration '{text}'; {Duration.Help}.");
        try
        {
            return duration.AddTo(date);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw arguments.Error($"adding '{text}' to {DateOutput.Iso(date)} goes outside the years 1 to 9999.");
        }
    }

    private static JsonObject Difference(DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from;
        return new JsonObject
        {
            ["result"] = span.TotalSeconds,
            ["iso8601"] = Duration.ToIso(span),
            ["total_minutes"] = span.TotalMinutes,
            ["total_hours"] = span.TotalHours,
            ["total_days"] = span.TotalDays,
        };
    }
}
