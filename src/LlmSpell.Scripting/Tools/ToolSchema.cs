using System.Text.Json.Nodes;

namespace LlmSpell.Scripting;

/// <summary>Checks a tool's parameters schema well enough that the model gets what the script meant.</summary>
internal static class ToolSchema
{
    private static readonly HashSet<string> Types = ["string", "number", "integer", "boolean", "array", "object", "null"];

    /// <summary>The schema to send (an empty object schema when none was given), or throws naming the field.</summary>
    public static JsonObject Check(string tool, JsonNode? parameters)
    {
        var where = $"Tool.define('{tool}'): parameters";
        if (parameters is null)
            return new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        if (parameters is not JsonObject schema)
            throw new Lua.LuaHostException($"{where} must be a JSON schema table like {{type = \"object\", properties = {{...}}}}");
        var type = schema["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)schema["type"] : null;
        if (type != "object")
            throw new Lua.LuaHostException($"{where}.type must be \"object\" (a tool takes named arguments), got {Describe(schema["type"])}");
        var properties = schema["properties"];
        if (properties is not null and not JsonObject)
            throw new Lua.LuaHostException($"{where}.properties must be a table of name = {{type = ...}}, got {Describe(properties)}");
        foreach (var (name, property) in (JsonObject?)properties ?? [])
            CheckProperty($"{where}.properties.{name}", property);
        if (schema["required"] is { } required)
        {
            if (required is not JsonArray names)
                throw new Lua.LuaHostException($"{where}.required must be an array of property names, got {Describe(required)}");
            foreach (var n in names)
            {
                var s = n?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)n : null;
                if (s is null || properties is not JsonObject p || !p.ContainsKey(s))
                    throw new Lua.LuaHostException($"{where}.required lists {Describe(n)}, which is not one of parameters.properties");
            }
        }
        else
        {
            schema.Remove("required");
        }
        schema["properties"] ??= new JsonObject();
        return schema;
    }

    private static void CheckProperty(string where, JsonNode? property)
    {
        if (property is not JsonObject p)
            throw new Lua.LuaHostException($"{where} must be a table like {{type = \"number\"}}, got {Describe(property)}");
        if (p["type"] is { } t)
        {
            var s = t.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)t : null;
            if (s is null || !Types.Contains(s))
                throw new Lua.LuaHostException($"{where}.type must be one of {string.Join(", ", Types)}, got {Describe(t)}");
            if (s == "object" && p["properties"] is JsonObject nested)
                foreach (var (name, child) in nested) CheckProperty($"{where}.properties.{name}", child);
            if (s == "array" && p["items"] is { } items) CheckProperty($"{where}.items", items);
        }
    }

    private static string Describe(JsonNode? node) => node is null ? "nothing" : node.ToJsonString();
}
