using System.Text.Json;
using LlmSpell.Tools.Dates;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Tests.Tools;

public sealed class DateTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 23, 48, 26, TimeSpan.Zero);

    /// <summary>Runs the tool with the clock stopped at <see cref="Now"/>.</summary>
    private static async Task<JsonElement> RunAsync(string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        var tool = new DateTimeTool(new FixedClock(Now));
        using var result = JsonDocument.Parse(await tool.InvokeAsync(document.RootElement, ToolRunner.Context(), CancellationToken.None));
        return result.RootElement.Clone();
    }

    private static async Task<string> FailureAsync(string arguments) =>
        (await Assert.ThrowsAsync<ToolException>(() => RunAsync(arguments))).Message;

    [Fact]
    public async Task NowIsUtcByDefault()
    {
        var now = await RunAsync("""{"operation": "now"}""");
        Assert.Equal("2026-12-01T23:48:26Z", now.GetProperty("result").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), now.GetProperty("unix").GetInt64());
        Assert.Equal("+00:00", now.GetProperty("offset").GetString());
        Assert.Equal("Tuesday", now.GetProperty("day_of_week").GetString());
    }

    [Fact]
    public async Task RealClockIsUsedThroughTheToolList()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var unix = (await ToolRunner.RunAsync("datetime-handler", """{"operation": "now"}""")).GetProperty("unix").GetInt64();
        Assert.InRange(unix, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("+05:30", "2026-12-02T05:18:26+05:30")]
    [InlineData("-0800", "2026-12-01T15:48:26-08:00")]
    [InlineData("UTC", "2026-12-01T23:48:26Z")]
    [InlineData("Asia/Tokyo", "2026-12-02T08:48:26+09:00")]
    public async Task NowInAnotherZone(string zone, string expected) =>
        Assert.Equal(expected, (await RunAsync($$"""{"operation": "now", "timezone": "{{zone}}"}""")).GetProperty("result").GetString());

    [Fact]
    public async Task ParseReadsIsoTextAndReportsItsParts()
    {
        var parsed = await RunAsync("""{"operation": "parse", "date": "2024-02-29T10:15:30.25+02:00"}""");
        Assert.Equal("2024-02-29T10:15:30.25+02:00", parsed.GetProperty("result").GetString());
        Assert.Equal(2024, parsed.GetProperty("year").GetInt32());
        Assert.Equal(2, parsed.GetProperty("month").GetInt32());
        Assert.Equal(29, parsed.GetProperty("day").GetInt32());
        Assert.Equal(60, parsed.GetProperty("day_of_year").GetInt32());
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 8, 15, 30, 250, TimeSpan.Zero).ToUnixTimeMilliseconds(), parsed.GetProperty("unix_ms").GetInt64());
    }

    [Fact]
    public async Task TextWithoutAnOffsetIsUtc() =>
        Assert.Equal("2024-05-01T12:00:00Z", (await RunAsync("""{"operation": "parse", "date": "2024-05-01 12:00"}""")).GetProperty("result").GetString());

    [Theory]
    [InlineData("""{"operation": "parse", "date": 1700000000}""", "2023-11-14T22:13:20Z")]
    [InlineData("""{"operation": "parse", "date": "1700000000123", "input_format": "unix_ms"}""", "2023-11-14T22:13:20.123Z")]
    [InlineData("""{"operation": "parse", "date": "31.12.2025 18:30", "input_format": "dd.MM.yyyy HH:mm"}""", "2025-12-31T18:30:00Z")]
    [InlineData("""{"operation": "parse", "date": "Tue, 01 Dec 2026 10:00:00 GMT"}""", "2026-12-01T10:00:00Z")]
    public async Task ParseOtherForms(string arguments, string expected) =>
        Assert.Equal(expected, (await RunAsync(arguments)).GetProperty("result").GetString());

    [Theory]
    [InlineData("rfc1123", "\"Mon, 01 Jan 2024 12:00:00 GMT\"")]
    [InlineData("unix", "1704110400")]
    [InlineData("date", "\"2024-01-01\"")]
    [InlineData("time", "\"12:00:00\"")]
    [InlineData("dddd d MMMM yyyy, HH:mm", "\"Monday 1 January 2024, 12:00\"")]
    public async Task FormatWritesTheDateAsAsked(string format, string expected) => Assert.Equal(expected,
        (await RunAsync($$"""{"operation": "format", "date": "2024-01-01T12:00:00Z", "format": "{{format}}"}""")).GetProperty("result").GetRawText());

    [Fact]
    public async Task FormatInAZoneWithDaylightSaving() => Assert.Equal("2024-07-01 14:00 +02:00",
        (await RunAsync("""{"operation": "format", "date": "2024-07-01T12:00:00Z", "timezone": "Europe/Berlin", "format": "yyyy-MM-dd HH:mm zzz"}"""))
            .GetProperty("result").GetString());

    [Theory]
    [InlineData("P1DT2H30M", "2024-01-02T14:30:00Z")]
    [InlineData("-PT15M", "2024-01-01T11:45:00Z")]
    [InlineData("P1M", "2024-02-01T12:00:00Z")]
    [InlineData("P1Y2W", "2025-01-15T12:00:00Z")]
    [InlineData("PT0.5S", "2024-01-01T12:00:00.5Z")]
    [InlineData("2h 30m", "2024-01-01T14:30:00Z")]
    [InlineData("-3d", "2023-12-29T12:00:00Z")]
    [InlineData("1.5h", "2024-01-01T13:30:00Z")]
    [InlineData("1 week, 2 days", "2024-01-10T12:00:00Z")]
    [InlineData("90s 500ms", "2024-01-01T12:01:30.5Z")]
    [InlineData("1mo", "2024-02-01T12:00:00Z")]
    public async Task AddDurations(string duration, string expected) => Assert.Equal(expected,
        (await RunAsync($$"""{"operation": "add", "date": "2024-01-01T12:00:00Z", "duration": "{{duration}}"}""")).GetProperty("result").GetString());

    [Fact]
    public async Task AddingAMonthToJanuaryThe31stEndsInFebruary() => Assert.Equal("2024-02-29T00:00:00Z",
        (await RunAsync("""{"operation": "add", "date": "2024-01-31", "duration": "P1M"}""")).GetProperty("result").GetString());

    [Fact]
    public async Task AddStartsFromNowWithoutADate() => Assert.Equal("2026-12-02T00:48:26Z",
        (await RunAsync("""{"operation": "add", "duration": "1h"}""")).GetProperty("result").GetString());

    [Fact]
    public async Task DifferenceIsOtherDateMinusDate()
    {
        var difference = await RunAsync("""{"operation": "difference", "date": "2024-01-01T00:00:00Z", "other_date": "2024-01-02T02:03:04.5+00:00"}""");
        Assert.Equal(93784.5, difference.GetProperty("result").GetDouble());
        Assert.Equal("P1DT2H3M4.5S", difference.GetProperty("iso8601").GetString());
        Assert.Equal(26.05125, difference.GetProperty("total_hours").GetDouble(), 9);

        var backwards = await RunAsync("""{"operation": "difference", "date": "2024-01-01T00:30:00Z", "other_date": "2024-01-01T00:00:00Z"}""");
        Assert.Equal(-1800, backwards.GetProperty("result").GetDouble());
        Assert.Equal("-PT30M", backwards.GetProperty("iso8601").GetString());
    }

    [Fact]
    public async Task DifferenceAcrossZones() => Assert.Equal(0,
        (await RunAsync("""{"operation": "difference", "date": "2024-01-01T12:00:00+02:00", "other_date": "2024-01-01T10:00:00Z"}""")).GetProperty("result").GetDouble());

    [Theory]
    [InlineData("""{"operation": "parse", "date": "yesterday-ish"}""",
        "datetime-handler: cannot read the date 'yesterday-ish' in field 'date'; use ISO 8601 such as 2024-05-01T12:00:00Z, \"now\", unix seconds as a number, or give input_format.")]
    [InlineData("""{"operation": "parse", "date": "2024-13-45"}""",
        "datetime-handler: cannot read the date '2024-13-45' in field 'date'; use ISO 8601 such as 2024-05-01T12:00:00Z, \"now\", unix seconds as a number, or give input_format.")]
    [InlineData("""{"operation": "parse", "date": "01/02/2024", "input_format": "yyyy-MM-dd"}""",
        "datetime-handler: field 'date' is '01/02/2024', which does not match input_format 'yyyy-MM-dd'.")]
    [InlineData("""{"operation": "parse"}""", "datetime-handler: operation 'parse' needs the field 'date'.")]
    [InlineData("""{"operation": "difference", "date": "now"}""", "datetime-handler: operation 'difference' needs the field 'other_date'.")]
    [InlineData("""{"operation": "add", "date": "now", "duration": "soon"}""",
        "datetime-handler: cannot read the duration 'soon'; use ISO 8601 such as P1DT2H30M or -PT15M, or units such as \"2h 30m\", \"-3d\", \"90s\" (y, mo, w, d, h, m, s, ms).")]
    [InlineData("""{"operation": "add", "date": "now", "duration": "3 fortnights"}""",
        "datetime-handler: cannot read the duration '3 fortnights'; use ISO 8601 such as P1DT2H30M or -PT15M, or units such as \"2h 30m\", \"-3d\", \"90s\" (y, mo, w, d, h, m, s, ms).")]
    [InlineData("""{"operation": "add", "date": "9999-12-31", "duration": "P1D"}""",
        "datetime-handler: adding 'P1D' to 9999-12-31T00:00:00Z goes outside the years 1 to 9999.")]
    [InlineData("""{"operation": "now", "timezone": "Mars/Olympus_Mons"}""",
        "datetime-handler: unknown timezone 'Mars/Olympus_Mons'; use UTC, an offset such as +02:00, or an IANA name such as Europe/Berlin.")]
    [InlineData("""{"operation": "now", "timezone": "+25:00"}""",
        "datetime-handler: timezone offset '+25:00' must look like +02:00 or -0530 and be at most 14 hours.")]
    [InlineData("""{"operation": "now", "timezone": "+01:90"}""",
        "datetime-handler: timezone offset '+01:90' must look like +02:00 or -0530 and be at most 14 hours.")]
    [InlineData("""{"operation": "now", "format": "%"}""",
        "datetime-handler: format '%' is not a valid date format; use iso8601, rfc1123, unix, unix_ms, date, time or a pattern such as \"yyyy-MM-dd HH:mm\".")]
    public async Task BadInputIsExplained(string arguments, string message) => Assert.Equal(message, await FailureAsync(arguments));

    [Theory]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1H")]
    [InlineData("1.5mo")]
    [InlineData("")]
    public void MalformedDurationsAreNotRead(string text) => Assert.False(Duration.TryParse(text, out _));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
