using System.Text.Json.Nodes;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>Reading what an SDK script observed, failing with the whole observation when a check went wrong.</summary>
internal static class Observed
{
    /// <summary>The result of check <paramref name="name"/>; fails when it is missing or the SDK threw unexpectedly.</summary>
    public static JsonNode Check(this JsonObject observed, string name)
    {
        var result = observed[name];
        if (result is null) Assert.Fail($"The script reported no '{name}' check:\n{observed.ToJsonString()}");
        if (result["unexpected"] is { } error) Assert.Fail($"Check '{name}' threw unexpectedly:\n{error.ToJsonString()}");
        return result;
    }

    public static string? Str(this JsonNode node, string name) => node[name]?.GetValue<string>();

    public static int Int(this JsonNode node, string name) =>
        node[name]?.GetValue<int>() ?? throw new Xunit.Sdk.XunitException($"No '{name}' in {node.ToJsonString()}");

    public static bool Bool(this JsonNode node, string name) => node[name]?.GetValue<bool>() ?? false;

    public static List<string> Strings(this JsonNode node, string name) =>
        node[name]?.AsArray().Select(item => item!.GetValue<string>()).ToList() ?? [];

    /// <summary>Whether two JSON values are equal (objects compared property by property, order ignored).</summary>
    public static void JsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}, got {actual?.ToJsonString() ?? "null"}");
}
