using System.Text.Json.Nodes;
using LlmSpell.Llm;
using LlmSpell.Lua;
using LlmSpell.Tools;

namespace LlmSpell.Scripting;

/// <summary>The tools one session knows: the built-in ones and those its scripts defined (handlers live in Lua).</summary>
internal sealed class SessionTools(IReadOnlyList<IBuiltinTool> builtins)
{
    private sealed record Defined(string Name, string Description, JsonObject Parameters);

    private readonly Dictionary<string, Defined> _defined = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Define(string name, string? description, JsonNode? parameters)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || name.Length > 64)
            throw new LuaHostException($"Tool.define: name '{name}' must be 1-64 letters, digits, '_' or '-' (providers accept no other tool names)");
        var schema = ToolSchema.Check(name, parameters);
        lock (_lock) _defined[name] = new Defined(name, description ?? "", schema);
    }

    public IBuiltinTool? Builtin(string name) => builtins.FirstOrDefault(t => t.Name == name);

    public bool IsDefined(string name)
    {
        lock (_lock) return _defined.ContainsKey(name);
    }

    public IReadOnlyList<string> Names()
    {
        lock (_lock) return [.. builtins.Select(t => t.Name).Concat(_defined.Keys).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>{name, description, parameters} or null.</summary>
    public JsonObject? Describe(string name)
    {
        lock (_lock)
        {
            if (_defined.TryGetValue(name, out var d))
                return new JsonObject { ["name"] = d.Name, ["description"] = d.Description, ["parameters"] = d.Parameters.DeepClone(), ["builtin"] = false };
        }
        return Builtin(name) is { } b
            ? new JsonObject { ["name"] = b.Name, ["description"] = b.Description, ["parameters"] = JsonNode.Parse(b.ParametersJsonSchema), ["builtin"] = true }
            : null;
    }

    /// <summary>The declaration the model sees, or throws listing the known tools.</summary>
    public ToolDeclaration Declaration(string name)
    {
        if (Describe(name) is not { } d)
            throw new LuaHostException($"unknown tool '{name}'; known tools: {string.Join(", ", Names())} (define one with Tool.define)");
        return new ToolDeclaration(name, (string?)d["description"] ?? "", d["parameters"]!.ToJsonString());
    }
}
