namespace LlmSpell.Tools.Tests.Tools;

public sealed class Base64Tests
{
    [Theory]
    [InlineData("hello world", false, "aGVsbG8gd29ybGQ=")]
    [InlineData("héllo ✓", false, "aMOpbGxvIOKckw==")]
    [InlineData("", false, "")]
    [InlineData("\u00fb\u00ff", false, "w7vDvw==")]
    [InlineData("\u00fb\u00ff", true, "w7vDvw")]
    [InlineData("??>", true, "Pz8-")]
    [InlineData("??>", false, "Pz8+")]
    public async Task Encodes(string text, bool urlSafe, string expected) => Assert.Equal(expected,
        (await ToolRunner.ResultAsync("base64-encoder", $$"""{"operation": "encode", "input": "{{text}}", "url_safe": {{(urlSafe ? "true" : "false")}}}""")).GetString());

    [Fact]
    public async Task UrlSafeWithPaddingOnRequest() => Assert.Equal("w7vDvw==",
        (await ToolRunner.ResultAsync("base64-encoder", """{"operation": "encode", "input": "ûÿ", "url_safe": true, "padding": true}""")).GetString());

    [Fact]
    public async Task EncodesHexBytes() => Assert.Equal("AAH/",
        (await ToolRunner.ResultAsync("base64-encoder", """{"operation": "encode", "input": "0001ff", "input_encoding": "hex"}""")).GetString());

    [Theory]
    [InlineData("aGVsbG8gd29ybGQ=", false, "hello world")]
    [InlineData("aGVsbG8gd29ybGQ", false, "hello world")]
    [InlineData(" aGVs\nbG8g d29y bGQ= ", false, "hello world")]
    [InlineData("aMOpbGxvIOKckw==", false, "héllo ✓")]
    [InlineData("Pz8-", true, "??>")]
    [InlineData("Pz8", true, "??")]
    public async Task Decodes(string base64, bool urlSafe, string expected) => Assert.Equal(expected,
        (await ToolRunner.ResultAsync("base64-encoder",
            $$"""{"operation": "decode", "input": {{System.Text.Json.JsonSerializer.Serialize(base64)}}, "url_safe": {{(urlSafe ? "true" : "false")}}}""")).GetString());

    [Fact]
    public async Task DecodesBinaryToHex() => Assert.Equal("0001ff",
        (await ToolRunner.ResultAsync("base64-encoder", """{"operation": "decode", "input": "AAH/", "output_encoding": "hex"}""")).GetString());

    [Theory]
    [InlineData("""{"operation": "decode", "input": "aGV!sbG8"}""", "base64-encoder: the input is not valid base64: unexpected '!' at position 4.")]
    [InlineData("""{"operation": "decode", "input": "Pz8-"}""", "base64-encoder: the input is not valid base64: unexpected '-' at position 4; it looks URL-safe, set url_safe to true.")]
    [InlineData("""{"operation": "decode", "input": "Pz8+", "url_safe": true}""", "base64-encoder: the input is not valid base64: unexpected '+' at position 4; it looks like standard base64, set url_safe to false.")]
    [InlineData("""{"operation": "decode", "input": "aGVsb"}""", "base64-encoder: the input is not valid base64: 5 characters (without padding) cannot encode whole bytes.")]
    [InlineData("""{"operation": "decode", "input": "AAH/"}""", "base64-encoder: the bytes are not UTF-8 text; set output_encoding to \"hex\".")]
    [InlineData("""{"operation": "encode", "input": "xyz", "input_encoding": "hex"}""", "base64-encoder: field 'input' is not hex (pairs of 0-9 and a-f).")]
    [InlineData("""{"operation": "decode"}""", "base64-encoder: missing required field 'input'.")]
    public async Task BadInputIsExplained(string arguments, string message) =>
        Assert.Equal(message, await ToolRunner.FailureAsync("base64-encoder", arguments));
}
