using System.Text.Json;

namespace LlmSpell.Tools.Tests.Tools;

public sealed class TextManipulatorTests
{
    private static Task<JsonElement> Result(string operation, string text, string extra = "") =>
        ToolRunner.ResultAsync("text-manipulator", $$"""{"operation": "{{operation}}", "text": {{JsonSerializer.Serialize(text)}}{{extra}}}""");

    [Theory]
    [InlineData("upper", "straße é", "STRAßE É")] // simple case mapping: ß has no single-letter upper case
    [InlineData("lower", "ÀB Ç", "àb ç")]
    [InlineData("capitalize", "élan vital", "Élan vital")]
    [InlineData("title", "the QUICK brown fox", "The Quick Brown Fox")]
    [InlineData("snake_case", "HTTPServer errorCode2 max-value", "http_server_error_code2_max_value")]
    [InlineData("kebab_case", "Hello World_again", "hello-world-again")]
    [InlineData("camel_case", "user id number", "userIdNumber")]
    [InlineData("pascal_case", "user_id-number", "UserIdNumber")]
    [InlineData("trim", "  \t padded \n ", "padded")]
    [InlineData("trim_start", "  padded  ", "padded  ")]
    [InlineData("trim_end", "  padded  ", "  padded")]
    [InlineData("reverse", "ab😀é", "é😀ba")]
    public async Task Transforms(string operation, string text, string expected) =>
        Assert.Equal(expected, (await Result(operation, text)).GetString());

    [Fact]
    public async Task ReverseKeepsCombiningMarksWithTheirLetter() =>
        Assert.Equal("be\u0301a", (await Result("reverse", "ae\u0301b")).GetString());

    [Theory]
    [InlineData("length", "añ😀", 3)]
    [InlineData("length", "", 0)]
    [InlineData("word_count", "  one two\tthree\nfour  ", 4)]
    [InlineData("word_count", "   ", 0)]
    [InlineData("line_count", "a\nb\nc\n", 3)]
    [InlineData("line_count", "single", 1)]
    [InlineData("line_count", "", 0)]
    public async Task Counts(string operation, string text, int expected) =>
        Assert.Equal(expected, (await Result(operation, text)).GetInt32());

    [Theory]
    [InlineData("contains", "Hello World", "world", false, false)]
    [InlineData("contains", "Hello World", "world", true, true)]
    [InlineData("starts_with", "Hello World", "Hello", false, true)]
    [InlineData("ends_with", "Hello World", "WORLD", true, true)]
    [InlineData("ends_with", "Hello World", "Hello", false, false)]
    public async Task Searches(string operation, string text, string search, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, (await Result(operation, text, $", \"search\": \"{search}\", \"ignore_case\": {(ignoreCase ? "true" : "false")}")).GetBoolean());

    [Fact]
    public async Task ReplacesPlainText()
    {
        Assert.Equal("a-b-c", (await Result("replace", "a.b.c", ", \"search\": \".\", \"replacement\": \"-\"")).GetString());
        Assert.Equal("x x", (await Result("replace", "Cat cAT", ", \"search\": \"cat\", \"replacement\": \"x\", \"ignore_case\": true")).GetString());
        Assert.Equal("abc", (await Result("replace", "a b c", ", \"search\": \" \"")).GetString());
    }

    [Fact]
    public async Task ReplacesWithARegularExpression() => Assert.Equal("2024/05/01",
        (await Result("replace", "01.05.2024", """, "search": "(\\d+)\\.(\\d+)\\.(\\d+)", "replacement": "$3/$2/$1", "regex": true""")).GetString());

    [Fact]
    public async Task Splits()
    {
        Assert.Equal("""["a","","b"]""", (await Result("split", "a,,b", ", \"separator\": \",\"")).GetRawText());
        Assert.Equal("""["one","two","three"]""", (await Result("split", " one  two\nthree ")).GetRawText());
        Assert.Equal("""["a","b","c"]""", (await Result("split", "a1b22c", """, "separator": "\\d+", "regex": true""")).GetRawText());
    }

    [Theory]
    [InlineData("Hello, world", 8, null, "Hello...", true)]
    [InlineData("Hello, world", 8, "…", "Hello, …", true)]
    [InlineData("Hello", 5, null, "Hello", false)]
    [InlineData("Hello", 2, null, "..", true)]
    [InlineData("😀😀😀😀", 3, "", "😀😀😀", true)]
    public async Task Truncates(string text, int max, string? suffix, string expected, bool truncated)
    {
        var extra = $", \"max_length\": {max}" + (suffix is null ? "" : $", \"suffix\": \"{suffix}\"");
        var result = await ToolRunner.RunAsync("text-manipulator", $$"""{"operation": "truncate", "text": "{{text}}"{{extra}}}""");
        Assert.Equal(expected, result.GetProperty("result").GetString());
        Assert.Equal(truncated, result.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("""{"operation": "truncate", "text": "abc"}""", "text-manipulator: operation 'truncate' needs the field 'max_length'.")]
    [InlineData("""{"operation": "replace", "text": "abc", "search": ""}""", "text-manipulator: field 'search' must not be empty.")]
    [InlineData("""{"operation": "replace", "text": "abc", "search": "(", "regex": true}""",
        "text-manipulator: the regular expression is invalid: Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData("""{"operation": "truncate", "text": "abc", "max_length": -1}""", "text-manipulator: field 'max_length' must be at least 0, got -1.")]
    [InlineData("""{"operation": "shout", "text": "abc"}""", "text-manipulator: field 'operation' must be one of: upper, lower, capitalize, title, snake_case, kebab_case, camel_case, pascal_case, trim, trim_start, trim_end, reverse, length, word_count, line_count, contains, starts_with, ends_with, replace, split, truncate; got 'shout'.")]
    public async Task BadInputIsExplained(string arguments, string message) =>
        Assert.Equal(message, await ToolRunner.FailureAsync("text-manipulator", arguments));

    [Fact]
    public async Task CatastrophicRegexTimesOut() => Assert.Equal(
        "text-manipulator: the regular expression '(a+)+$' took over 1 s; simplify it (avoid nested repeats such as (a+)+).",
        await ToolRunner.FailureAsync("text-manipulator",
            $$"""{"operation": "replace", "text": "{{new string('a', 40)}}!", "search": "(a+)+$", "regex": true}"""));

    [Fact]
    public async Task ReplaceThatWouldGrowPastTheCapIsRefused() => Assert.StartsWith(
        "text-manipulator: the result would be over 10000000 characters",
        await ToolRunner.FailureAsync("text-manipulator",
            $$"""{"operation": "replace", "text": "{{new string('a', 100_000)}}", "search": "a", "replacement": "{{new string('b', 200)}}"}"""));
}
