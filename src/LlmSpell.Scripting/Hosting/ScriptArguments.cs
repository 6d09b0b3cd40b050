using System.Text.Json.Nodes;

namespace LlmSpell.Scripting;

/// <summary>
/// ARGS of `llmspell run SCRIPT -- ARGS...`: ARGS[0] the script, ARGS[1..n] the positionals, ARGS.key for
/// `--key value` and `--key=value`, "true" for a `--flag` alone.
/// </summary>
public sealed record ScriptArguments(string? Script, IReadOnlyList<string> Positionals, IReadOnlyDictionary<string, string> Named)
{
    public static ScriptArguments Empty { get; } = new(null, [], new Dictionary<string, string>());

    public static ScriptArguments Parse(string? script, IReadOnlyList<string> args)
    {
        var positionals = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length > 2 && arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                var eq = name.IndexOf('=');
                if (eq > 0)
                    named[name[..eq]] = name[(eq + 1)..];
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    named[name] = args[++i];
                else
                    named[name] = "true";
            }
            else
            {
                positionals.Add(arg);
            }
        }
        return new ScriptArguments(script, positionals, named);
    }

    /// <summary>{script, positional: [...], named: {...}}: the Lua side builds ARGS from it.</summary>
    internal JsonObject ToJson()
    {
        var named = new JsonObject();
        foreach (var (k, v) in Named) named[k] = v;
        var positional = new JsonArray();
        foreach (var p in Positionals) positional.Add((JsonNode)p);
        return new JsonObject { ["script"] = Script, ["positional"] = positional, ["named"] = named };
    }
}
