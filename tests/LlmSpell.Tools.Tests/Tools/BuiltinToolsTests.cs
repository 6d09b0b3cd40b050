using System.Text.Json;
using LlmSpell.Tools;

namespace LlmSpell.Tools.Tests.Tools;

/// <summary>The tool list and what every tool shares: a schema the model can use, checked against the arguments.</summary>
public sealed class BuiltinToolsTests
{
    public static TheoryData<string> Names => new(BuiltinTools.All.Select(t => t.Name));

    [Fact]
    public void AllHasTheUpstreamNames() => Assert.Equal(
        ["calculator", "datetime-handler", "uuid-generator", "hash-calculator", "base64-encoder", "json-processor",
         "text-manipulator", "file-operations", "http-requester"],
        BuiltinTools.All.Select(t => t.Name));

    [Fact]
    public void FindIgnoresCaseAndReturnsNullForUnknownNames()
    {
        Assert.Same(BuiltinTools.All[0], BuiltinTools.Find("Calculator"));
        Assert.Same(BuiltinTools.All[^1], BuiltinTools.Find("http-requester"));
        Assert.Null(BuiltinTools.Find("web-search"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SchemaIsAnObjectSchemaWhoseRequiredFieldsAreDeclared(string name)
    {
        var tool = BuiltinTools.Find(name)!;
        Assert.False(string.IsNullOrWhiteSpace(tool.Description));
        using var schema = JsonDocument.Parse(tool.ParametersJsonSchema);
        var root = schema.RootElement;
        Assert.Equal("object", root.GetProperty("type").GetString());
        var properties = root.GetProperty("properties");
        foreach (var required in root.TryGetProperty("required", out var list) ? list.EnumerateArray() : default)
            Assert.True(properties.TryGetProperty(required.GetString()!, out _), $"{name}: required '{required}' is not a property");
        Assert.Equal(JsonValueKind.False, root.GetProperty("additionalProperties").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task MissingRequiredFieldNamesTheFieldAndTheTool(string name)
    {
        using var schema = JsonDocument.Parse(BuiltinTools.Find(name)!.ParametersJsonSchema);
        if (!schema.RootElement.TryGetProperty("required", out var required)) return; // uuid-generator needs nothing
        var first = required[0].GetString();
        Assert.Equal($"{name}: missing required field '{first}'.", await ToolRunner.FailureAsync(name, "{}"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task UnknownFieldIsRefusedWithTheKnownOnes(string name)
    {
        var message = await ToolRunner.FailureAsync(name, """{"expresion": "1+1"}""");
        Assert.StartsWith($"{name}: unknown field 'expresion'; the fields are: ", message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task ArgumentsThatAreNotAnObjectAreRefused(string name) =>
        Assert.Equal($"{name}: the arguments must be a JSON object, got an array.", await ToolRunner.FailureAsync(name, "[1]"));

    [Fact]
    public async Task WrongTypeIsRefusedWithTheExpectedType() =>
        Assert.Equal("calculator: field 'expression' must be a string, got an integer.",
            await ToolRunner.FailureAsync("calculator", """{"expression": 5}"""));

    [Fact]
    public async Task ValueOutsideTheEnumListsTheChoices() =>
        Assert.Equal("base64-encoder: field 'operation' must be one of: encode, decode; got 'encrypt'.",
            await ToolRunner.FailureAsync("base64-encoder", """{"operation": "encrypt", "input": "x"}"""));

    [Fact]
    public async Task NumberOutsideTheRangeIsRefused() =>
        Assert.Equal("uuid-generator: field 'count' must be at most 100, got 1000.",
            await ToolRunner.FailureAsync("uuid-generator", """{"count": 1000}"""));

    [Fact]
    public async Task NullCountsAsAnAbsentField()
    {
        Assert.Equal("calculator: missing required field 'expression'.", await ToolRunner.FailureAsync("calculator", """{"expression": null}"""));
        Assert.Equal(3, (await ToolRunner.ResultAsync("calculator", """{"expression": "1+2", "variables": null}""")).GetDouble());
    }

    [Fact]
    public async Task ResultTextKeepsCharactersReadable()
    {
        using var arguments = JsonDocument.Parse("""{"operation": "upper", "text": "+02:00 <ü> \"q\""}""");
        var text = await BuiltinTools.Find("text-manipulator")!.InvokeAsync(arguments.RootElement, ToolRunner.Context(), CancellationToken.None);
        Assert.Equal("""{"result":"+02:00 <Ü> \"Q\""}""", text);
    }

    [Fact]
    public async Task FieldOnlyAnOperationNeedsNamesTheOperation() =>
        Assert.Equal("text-manipulator: operation 'replace' needs the field 'search'.",
            await ToolRunner.FailureAsync("text-manipulator", """{"operation": "replace", "text": "abc"}"""));
}
