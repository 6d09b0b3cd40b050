namespace LlmSpell.Tools.Tests.Tools;

public sealed class UuidTests
{
    [Fact]
    public async Task GeneratesARandomVersion4UuidByDefault()
    {
        var result = await ToolRunner.RunAsync("uuid-generator", "{}");
        var uuid = Guid.ParseExact(result.GetProperty("result").GetString()!, "D");
        Assert.Equal(4, uuid.Version);
        Assert.Equal(4, result.GetProperty("version").GetInt32());
        Assert.Matches("^[0-9a-f-]{36}$", result.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Version7UuidsAreTimeOrdered()
    {
        var result = await ToolRunner.ResultAsync("uuid-generator", """{"operation": "generate", "version": 7, "count": 20}""");
        var uuids = result.EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(20, uuids.Distinct().Count());
        Assert.All(uuids, u => Assert.Equal(7, Guid.Parse(u).Version));
        // The first 48 bits are the creation time in milliseconds.
        var millis = uuids.Select(u => Convert.ToInt64(u.Replace("-", "")[..12], 16)).ToList();
        Assert.Equal(millis.Order(), millis);
        Assert.InRange(millis[0], DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("compact", false, "^[0-9a-f]{32}$")]
    [InlineData("braces", false, "^\\{[0-9a-f-]{36}\\}$")]
    [InlineData("urn", false, "^urn:uuid:[0-9a-f-]{36}$")]
    [InlineData("standard", true, "^[0-9A-F-]{36}$")]
    public async Task Formats(string format, bool uppercase, string pattern) => Assert.Matches(pattern,
        (await ToolRunner.ResultAsync("uuid-generator", $$"""{"format": "{{format}}", "uppercase": {{(uppercase ? "true" : "false")}}}""")).GetString());

    [Theory]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", 1)]
    [InlineData("{0192e4a0-7c1b-7c3e-9a8f-3b2c1d0e4f5a}", 7)]
    [InlineData("urn:uuid:f47ac10b-58cc-4372-a567-0e02b2c3d479", 4)]
    [InlineData("F47AC10B58CC4372A5670E02B2C3D479", 4)]
    public async Task ValidateReportsTheVersion(string value, int version)
    {
        var result = await ToolRunner.RunAsync("uuid-generator", $$"""{"operation": "validate", "value": "{{value}}"}""");
        Assert.True(result.GetProperty("result").GetBoolean());
        Assert.Equal(version, result.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task ValidateRejectsWhatIsNoUuid() => Assert.False(
        (await ToolRunner.ResultAsync("uuid-generator", """{"operation": "validate", "value": "f47ac10b-58cc-4372-a567"}""")).GetBoolean());

    [Fact]
    public async Task ValidateNeedsAValue() => Assert.Equal("uuid-generator: operation 'validate' needs the field 'value'.",
        await ToolRunner.FailureAsync("uuid-generator", """{"operation": "validate"}"""));

    [Fact]
    public async Task UnsupportedVersionIsRefused() => Assert.Equal("uuid-generator: field 'version' must be one of: 4, 7; got '1'.",
        await ToolRunner.FailureAsync("uuid-generator", """{"version": 1}"""));
}
