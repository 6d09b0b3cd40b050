using System.Globalization;
using System.Text.Json;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Dates;

/// <summary>Reads dates ("now", ISO 8601 and other invariant-culture forms, unix seconds) and time zones from the arguments.</summary>
internal static class DateInput
{
    private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;

    /// <summary>The date in <paramref name="field"/>; text without an offset is UTC.</summary>
    public static DateTimeOffset Read(ToolArguments arguments, string field, DateTimeOffset now)
    {
        var value = arguments.Require(field);
        var inputFormat = arguments.OptionalString("input_format");
        if (value.ValueKind == JsonValueKind.Number) return FromUnix(arguments, field, value.GetDouble(), inputFormat == "unix_ms");

        var text = value.GetString()!.Trim();
        if (text.Equals("now", StringComparison.OrdinalIgnoreCase)) return now;
        switch (inputFormat)
        {
            case "unix" or "unix_ms":
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    throw arguments.Error($"field '{field}' is '{text}', not a number of {(inputFormat == "unix" ? "seconds" : "milliseconds")} since 1970.");
                return FromUnix(arguments, field, number, inputFormat == "unix_ms");
            case { } exact:
                if (DateTimeOffset.TryParseExact(text, exact, CultureInfo.InvariantCulture, Styles, out var formatted)) return formatted;
                throw arguments.Error($"field '{field}' is '{text}', which does not match input_format '{exact}'.");
            default:
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Styles, out var parsed)) return parsed;
                throw arguments.Error(
                    $"cannot read the date '{text}' in field '{field}'; use ISO 8601 such as 2024-05-01T12:00:00Z, \"now\", " +
                    "unix seconds as a number, or give input_format.");
        }
    }

    /// <summary><paramref name="moment"/> in the zone named by the "timezone" field: UTC, an offset (+02:00) or an IANA name.</summary>
    public static DateTimeOffset InZone(ToolArguments arguments, DateTimeOffset moment)
    {
        var zone = arguments.OptionalString("timezone")?.Trim();
        if (zone is null) return moment;
        if (zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) || zone is "Z" or "z" || zone.Equals("GMT", StringComparison.OrdinalIgnoreCase))
            return moment.ToUniversalTime();
        if (zone[0] is '+' or '-')
        {
            var digits = zone[1..].Replace(":", "");
            if (digits.Length is 2 or 4 && digits.All(char.IsAsciiDigit))
            {
                var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
                var minutes = digits.Length == 4 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
                var offset = new TimeSpan(hours, minutes, 0);
                if (minutes < 60 && offset <= TimeSpan.FromHours(14))
                    return moment.ToOffset(zone[0] == '-' ? -offset : offset);
            }
            throw arguments.Error($"timezone offset '{zone}' must look like +02:00 or -0530 and be at most 14 hours.");
        }
        try
        {
            return TimeZoneInfo.ConvertTime(moment, TimeZoneInfo.FindSystemTimeZoneById(zone));
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw arguments.Error($"unknown timezone '{zone}'; use UTC, an offset such as +02:00, or an IANA name such as Europe/Berlin.");
        }
    }

    private static DateTimeOffset FromUnix(ToolArguments arguments, string field, double value, bool milliseconds)
    {
        try
        {
            return DateTimeOffset.UnixEpoch.AddMilliseconds(milliseconds ? value : value * 1000);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw arguments.Error($"field '{field}' ({value}) is outside the years 1 to 9999.");
        }
    }
}
