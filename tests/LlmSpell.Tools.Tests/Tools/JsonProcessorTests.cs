using System.Text.Json;

namespace LlmSpell.Tools.Tests.Tools;

public sealed class JsonProcessorTests
{
    private const string Document = """{"users": [{"name": "Ada", "tags": ["x", "y"]}, {"name": "Linus", "tags": []}], "count": 2, "odd key": {"a.b": true}, "none": null}""";

    private static string Args(string operation, string extra = "") =>
        $$"""{"operation": "{{operation}}", "input": {{JsonSerializer.Serialize(Document)}}{{extra}}}""";

    [Fact]
    public async Task ValidateSaysTrueForJson() =>
        Assert.True((await ToolRunner.ResultAsync("json-processor", Args("validate"))).GetBoolean());

    [Fact]
    public async Task ValidateExplainsWhereTextIsNotJson()
    {
        var result = await ToolRunner.RunAsync("json-processor", """{"operation": "validate", "input": "{\"a\": 1,\n \"b\": }"}""");
        Assert.False(result.GetProperty("result").GetBoolean());
        Assert.Equal("'}' is an invalid start of a value (line 2, byte 7)", result.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DuplicateKeysAreNotValidJson()
    {
        var result = await ToolRunner.RunAsync("json-processor", """{"operation": "validate", "input": "{\"a\": 1, \"a\": 2}"}""");
        Assert.False(result.GetProperty("result").GetBoolean());
        Assert.Contains("'a'", result.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ParseReturnsTheValueAndItsType()
    {
        var result = await ToolRunner.RunAsync("json-processor", Args("parse"));
        Assert.Equal("object", result.GetProperty("type").GetString());
        Assert.Equal("Linus", result.GetProperty("result").GetProperty("users")[1].GetProperty("name").GetString());
    }

    [Fact]
    public async Task PrettyIndentsAndKeepsCharacters()
    {
        var pretty = await ToolRunner.ResultAsync("json-processor", """{"operation": "pretty", "input": "{\"a\":[1,2],\"b\":\"ü<\"}", "indent": 4}""");
        Assert.Equal("{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": \"ü<\"\n}", pretty.GetString());
    }

    [Fact]
    public async Task MinifyRemovesWhitespace() => Assert.Equal("""{"a":[1,2],"b":{"c":"d e"}}""",
        (await ToolRunner.ResultAsync("json-processor", """{"operation": "minify", "input": "{\n  \"a\" : [ 1, 2 ],\n  \"b\": { \"c\": \"d e\" }\n}"}""")).GetString());

    [Fact]
    public async Task InputMayBeAJsonValueInsteadOfText() => Assert.Equal("""{"x":[true,null]}""",
        (await ToolRunner.ResultAsync("json-processor", """{"operation": "minify", "input": {"x": [true, null]}}""")).GetString());

    [Theory]
    [InlineData("$.count", "2")]
    [InlineData("$.users[0].name", "\"Ada\"")]
    [InlineData("users[1].name", "\"Linus\"")]
    [InlineData("$.users[-1].name", "\"Linus\"")]
    [InlineData("$.users[0].tags[1]", "\"y\"")]
    [InlineData("$['odd key'][\"a.b\"]", "true")]
    [InlineData("$", "{\"users\":[{\"name\":\"Ada\",\"tags\":[\"x\",\"y\"]},{\"name\":\"Linus\",\"tags\":[]}],\"count\":2,\"odd key\":{\"a.b\":true},\"none\":null}")]
    [InlineData("$.users[*].name", "[\"Ada\",\"Linus\"]")]
    [InlineData("$.users[*].tags[*]", "[\"x\",\"y\"]")]
    [InlineData("$.users[0].*", "[\"Ada\",[\"x\",\"y\"]]")]
    public async Task QueryFindsValues(string path, string expected)
    {
        var result = await ToolRunner.RunAsync("json-processor", Args("query", $", \"path\": {JsonSerializer.Serialize(path)}"));
        Assert.Equal(expected, result.GetProperty("result").GetRawText());
        Assert.True(result.GetProperty("found").GetBoolean());
    }

    [Theory]
    [InlineData("$.missing")]
    [InlineData("$.users[5]")]
    [InlineData("$.count.deeper")]
    [InlineData("$.users.name")]
    public async Task QueryThatFindsNothingSaysSo(string path)
    {
        var result = await ToolRunner.RunAsync("json-processor", Args("query", $", \"path\": \"{path}\""));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("result").ValueKind);
        Assert.False(result.GetProperty("found").GetBoolean());
    }

    [Fact]
    public async Task QueryOfANullValueIsFound()
    {
        var result = await ToolRunner.RunAsync("json-processor", Args("query", ", \"path\": \"$.none\""));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("result").ValueKind);
        Assert.True(result.GetProperty("found").GetBoolean());
    }

    [Theory]
    [InlineData("$.users[0", "json-processor: bad path '$.users[0': the '[' at position 8 is not closed with ']'.")]
    [InlineData("$.users[first]", "json-processor: bad path '$.users[first]': '[first]' at position 8 is not an index, * or a quoted name such as ['first'].")]
    [InlineData("$..name", "json-processor: bad path '$..name': expected a name after the '.' at position 2.")]
    [InlineData("$['name", "json-processor: bad path '$['name': the quoted name at position 3 is not closed with '.")]
    [InlineData("$x", "json-processor: bad path '$x': unexpected 'x' at position 2; expected '.' or '['.")]
    [InlineData("users[first]", "json-processor: bad path 'users[first]': '[first]' at position 6 is not an index, * or a quoted name such as ['first'].")]
    public async Task BadPathIsExplained(string path, string message) =>
        Assert.Equal(message, await ToolRunner.FailureAsync("json-processor", Args("query", $", \"path\": {JsonSerializer.Serialize(path)}")));

    [Fact]
    public async Task BadInputIsExplained()
    {
        Assert.Equal("json-processor: the input is not valid JSON: '1' is an invalid end of a number. Expected a delimiter (line 1, byte 7).",
            await ToolRunner.FailureAsync("json-processor", """{"operation": "pretty", "input": "{\"a\":1"}"""));
        Assert.Equal("json-processor: operation 'query' needs the field 'path'.",
            await ToolRunner.FailureAsync("json-processor", """{"operation": "query", "input": "{}"}"""));
    }
}
