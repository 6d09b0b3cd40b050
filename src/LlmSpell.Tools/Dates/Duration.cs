using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmSpell.Tools.Dates;

/// <summary>
/// A duration to add to a date: calendar years and months (whose length depends on the date) plus a fixed time span.
/// Read from ISO 8601 (P1Y2M3W4DT5H6M7.5S, -P1D) or from units ("2h 30m", "-3d", "1.5h", "90s": y mo w d h m s ms).
/// </summary>
internal readonly partial record struct Duration(int Years, int Months, TimeSpan Time)
{
    public const string Help = "use ISO 8601 such as P1DT2H30M or -PT15M, or units such as \"2h 30m\", \"-3d\", \"90s\" (y, mo, w, d, h, m, s, ms)";

    public DateTimeOffset AddTo(DateTimeOffset moment) => moment.AddYears(Years).AddMonths(Months).Add(Time);

    public static bool TryParse(string text, out Duration duration)
    {
        duration = default;
        text = text.Trim();
        var negative = text.StartsWith('-');
        var body = negative || text.StartsWith('+') ? text[1..].TrimStart() : text;
        if (body.Length == 0) return false;
        var parsed = body[0] is 'P' or 'p' ? TryIso(body, out duration) : TryUnits(body, out duration);
        if (parsed && negative) duration = new Duration(-duration.Years, -duration.Months, -duration.Time);
        return parsed;
    }

    /// <summary>ISO 8601 text for a time span: P1DT2H3M4.5S, -PT30S, PT0S.</summary>
    public static string ToIso(TimeSpan span)
    {
        if (span == TimeSpan.Zero) return "PT0S";
        var builder = new StringBuilder(span < TimeSpan.Zero ? "-P" : "P");
        var abs = span.Duration();
        if (abs.Days > 0) builder.Append(CultureInfo.InvariantCulture, $"{abs.Days}D");
        var rest = abs - TimeSpan.FromDays(abs.Days);
        if (rest == TimeSpan.Zero) return builder.ToString();
        builder.Append('T');
        if (rest.Hours > 0) builder.Append(CultureInfo.InvariantCulture, $"{rest.Hours}H");
        if (rest.Minutes > 0) builder.Append(CultureInfo.InvariantCulture, $"{rest.Minutes}M");
        var seconds = rest.Seconds + rest.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond;
        if (seconds > 0) builder.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
        return builder.ToString();
    }

    private static bool TryIso(string text, out Duration duration)
    {
        duration = default;
        var match = IsoPattern().Match(text);
        if (!match.Success || text is "P" or "p" || text.EndsWith('T') || text.EndsWith('t')) return false;
        try
        {
            var time = TimeSpan.FromDays(7 * Number(match, "w") + Number(match, "d"))
                + TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "min")) + TimeSpan.FromSeconds(Number(match, "s"));
            duration = new Duration(checked((int)Number(match, "y")), checked((int)Number(match, "mo")), time);
            return true;
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            return false;
        }
    }

    private static bool TryUnits(string text, out Duration duration)
    {
        duration = default;
        var matches = UnitPattern().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)).Length != text.Length) return false;
        int years = 0, months = 0;
        var time = TimeSpan.Zero;
        try
        {
            foreach (Match unit in matches)
            {
                var amount = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
                switch (unit.Groups["unit"].Value.ToLowerInvariant())
                {
                    case "y" or "yr" or "yrs" or "year" or "years": years = checked(years + WholeNumber(amount)); break;
                    case "mo" or "month" or "months": months = checked(months + WholeNumber(amount)); break;
                    case "w" or "week" or "weeks": time += TimeSpan.FromDays(7 * amount); break;
                    case "d" or "day" or "days": time += TimeSpan.FromDays(amount); break;
                    case "h" or "hr" or "hrs" or "hour" or "hours": time += TimeSpan.FromHours(amount); break;
                    case "m" or "min" or "mins" or "minute" or "minutes": time += TimeSpan.FromMinutes(amount); break;
                    case "s" or "sec" or "secs" or "second" or "seconds": time += TimeSpan.FromSeconds(amount); break;
                    case "ms" or "millisecond" or "milliseconds": time += TimeSpan.FromMilliseconds(amount); break;
                    default: return false;
                }
            }
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or FormatException)
        {
            return false;
        }
        duration = new Duration(years, months, time);
        return true;
    }

    private static int WholeNumber(double amount) =>
        Math.Floor(amount) == amount ? checked((int)amount) : throw new FormatException("years and months must be whole numbers");

    private static double Number(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+(?:\.\d+)?)W)?(?:(?<d>\d+(?:\.\d+)?)D)?(?:T(?:(?<h>\d+(?:\.\d+)?)H)?(?:(?<min>\d+(?:\.\d+)?)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"\s*(?<n>\d+(?:\.\d+)?)\s*(?<unit>[a-zA-Z]+)\s*,?", RegexOptions.CultureInvariant)]
    private static partial Regex UnitPattern();
}
