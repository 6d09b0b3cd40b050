using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmSpell.Tools.JsonProcessing;

/// <summary>
/// A small JSONPath subset: <c>$</c> (optional), <c>.name</c>, <c>['name']</c> or <c>["name"]</c>, <c>[2]</c>, <c>[-1]</c>
/// (from the end) and the wildcard <c>*</c> (<c>.*</c> or <c>[*]</c>). Example: <c>$.users[0].emails[*]</c>.
/// </summary>
internal sealed class JsonPath
{
    private abstract record Step;
    private sealed record Property(string Name) : Step;
    private sealed record Index(int Value) : Step;
    private sealed record Wildcard : Step;

    private readonly List<Step> _steps;

    private JsonPath(List<Step> steps) => _steps = steps;

    /// <summary>Whether the path may select several values (it has a wildcard).</summary>
    public bool IsMulti => _steps.Any(s => s is Wildcard);

    /// <summary>Parses <paramref name="path"/>; a <see cref="FormatException"/> says what is wrong and at which position.</summary>
    public static JsonPath Parse(string path)
    {
        var steps = new List<Step>();
        var i = 0;
        path = path.Trim();
        if (path.StartsWith('$')) i = 1;
        else if (path.Length > 0 && path[0] is not ('[' or '.')) i = ReadName(path, 0, steps); // "a.b" means "$.a.b"

        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                if (i < path.Length && path[i] == '*') { steps.Add(new Wildcard()); i++; continue; }
                i = ReadName(path, i, steps);
            }
            else if (path[i] == '[')
            {
                i = ParseBracket(path, i, steps);
            }
            else
            {
                throw new FormatException($"unexpected '{path[i]}' at position {i + 1}; expected '.' or '['");
            }
        }
        return new JsonPath(steps);
    }

    /// <summary>The values the path selects (none when it leads nowhere). Null JSON values are returned as null nodes.</summary>
    public List<JsonNode?> Select(JsonNode? root)
    {
        var current = new List<JsonNode?> { root };
        foreach (var step in _steps)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                switch (step, node)
                {
                    case (Property p, JsonObject o) when o.TryGetPropertyValue(p.Name, out var value):
                        next.Add(value);
                        break;
                    case (Index x, JsonArray a) when (x.Value < 0 ? a.Count + x.Value : x.Value) is var at && at >= 0 && at < a.Count:
                        next.Add(a[at]);
                        break;
                    case (Wildcard, JsonObject o):
                        next.AddRange(o.Select(pair => pair.Value));
                        break;
                    case (Wildcard, JsonArray a):
                        next.AddRange(a);
                        break;
                }
            }
            current = next;
        }
        return current;
    }

    /// <summary>The name from <paramref name="start"/> to the next '.' or '['; the index after it.</summary>
    private static int ReadName(string path, int start, List<Step> steps)
    {
        var end = start;
        while (end < path.Length && path[end] != '.' && path[end] != '[') end++;
        if (end == start) throw new FormatException($"expected a name after the '.' at position {start}");
        steps.Add(new Property(path[start..end]));
        return end;
    }

    private static int ParseBracket(string path, int open, List<Step> steps)
    {
        var i = open + 1;
        if (i < path.Length && path[i] is '\'' or '"')
        {
            var quote = path[i++];
            var name = new StringBuilder();
            while (i < path.Length && path[i] != quote)
            {
                if (path[i] == '\\' && i + 1 < path.Length) i++;
                name.Append(path[i++]);
            }
            if (i >= path.Length) throw new FormatException($"the quoted name at position {open + 2} is not closed with {quote}");
            i++;
            Close(path, i, open);
            steps.Add(new Property(name.ToString()));
            return i + 1;
        }

        var close = path.IndexOf(']', i);
        if (close < 0) throw new FormatException($"the '[' at position {open + 1} is not closed with ']'");
        var inside = path[i..close].Trim();
        if (inside == "*") steps.Add(new Wildcard());
        else if (int.TryParse(inside, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index)) steps.Add(new Index(index));
        else throw new FormatException($"'[{inside}]' at position {open + 1} is not an index, * or a quoted name such as ['{inside}']");
        return close + 1;
    }

    private static void Close(string path, int i, int open)
    {
        if (i >= path.Length || path[i] != ']') throw new FormatException($"the '[' at position {open + 1} is not closed with ']'");
    }
}
