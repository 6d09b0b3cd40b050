using System.Globalization;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Dates;

/// <summary>A moment as the tool returns it: "result" in the requested format, plus the parts scripts often want.</summary>
internal static class DateOutput
{
    public static JsonObject Describe(ToolArguments arguments, DateTimeOffset moment) => new()
    {
        ["result"] = Format(arguments, moment),
        ["iso8601"] = Iso(moment),
        ["unix"] = moment.ToUnixTimeSeconds(),
        ["unix_ms"] = moment.ToUnixTimeMilliseconds(),
        ["offset"] = Offset(moment.Offset),
        ["year"] = moment.Year,
        ["month"] = moment.Month,
        ["day"] = moment.Day,
        ["hour"] = moment.Hour,
        ["minute"] = moment.Minute,
        ["second"] = moment.Second,
        ["day_of_week"] = moment.DayOfWeek.ToString(),
        ["day_of_year"] = moment.DayOfYear,
    };

    /// <summary>ISO 8601 with "Z" for UTC and no trailing zero fractions: 2024-05-01T12:00:00Z, 2024-05-01T14:00:00.5+02:00.</summary>
    public static string Iso(DateTimeOffset moment) =>
        moment.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + (moment.Offset == TimeSpan.Zero ? "Z" : Offset(moment.Offset));

    private static JsonNode Format(ToolArguments arguments, DateTimeOffset moment)
    {
        var format = arguments.String("format", "iso8601");
        switch (format)
        {
            case "iso8601": return Iso(moment);
            case "rfc1123": return moment.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
            case "unix": return moment.ToUnixTimeSeconds();
            case "unix_ms": return moment.ToUnixTimeMilliseconds();
            case "date": return moment.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case "time": return moment.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }
        try
        {
            return moment.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw arguments.Error(
                $"format '{format}' is not a valid date format; use iso8601, rfc1123, unix, unix_ms, date, time or a pattern such as \"yyyy-MM-dd HH:mm\".");
        }
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
