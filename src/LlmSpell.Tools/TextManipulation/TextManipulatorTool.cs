using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.TextManipulation;

/// <summary>text-manipulator: case changes, trimming, reversing, replacing, splitting, counting and truncating text.</summary>
internal sealed class TextManipulatorTool : SynchronousTool
{
    /// <summary>A cap on what replace may produce, so a short call cannot build a huge string.</summary>
    public const int MaxResultLength = 10_000_000;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
    private static readonly TextInfo Casing = CultureInfo.InvariantCulture.TextInfo;

    public override string Name => "text-manipulator";

    public override string Description =>
        "Text operations: upper, lower, capitalize, title, snake_case, kebab_case, camel_case, pascal_case, trim, trim_start, " +
        "trim_end, reverse, length, word_count, line_count, contains, starts_with, ends_with, replace (search, replacement; regex), " +
        "split (separator; words when absent), truncate (max_length, suffix). Returns {\"result\": ...}.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["upper", "lower", "capitalize", "title", "snake_case", "kebab_case", "camel_case", "pascal_case",
              "trim", "trim_start", "trim_end", "reverse", "length", "word_count", "line_count", "contains", "starts_with", "ends_with",
              "replace", "split", "truncate"] },
            "text": { "type": "string" },
            "search": { "type": "string", "description": "replace, contains, starts_with, ends_with: what to look for." },
            "replacement": { "type": "string", "description": "replace: the new text (default empty); with regex, $1 names a group." },
            "regex": { "type": "boolean", "description": "replace, split: search or separator is a .NET regular expression." },
            "ignore_case": { "type": "boolean" },
            "separator": { "type": "string", "description": "split: the separator; absent splits into words at whitespace." },
            "max_length": { "type": "integer", "minimum": 0, "description": "truncate: the longest result, in characters, suffix included." },
            "suffix": { "type": "string", "description": "truncate: appended when text is cut; default \"...\"." }
          },
          "required": ["operation", "text"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var text = arguments.RequireString("text");
        var ignoreCase = arguments.Boolean("ignore_case", false);
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var operation = arguments.RequireString("operation");
        if (operation == "truncate") return Truncate(arguments, text);
        JsonNode result = operation switch
        {
            "upper" => text.ToUpperInvariant(),
            "lower" => text.ToLowerInvariant(),
            "capitalize" => Capitalize(text),
            "title" => Casing.ToTitleCase(text.ToLowerInvariant()),
            "snake_case" => string.Join('_', TextElements.Words(text).Select(w => w.ToLowerInvariant())),
            "kebab_case" => string.Join('-', TextElements.Words(text).Select(w => w.ToLowerInvariant())),
            "camel_case" => CamelCase(text, upperFirst: false),
            "pascal_case" => CamelCase(text, upperFirst: true),
            "trim" => text.Trim(),
            "trim_start" => text.TrimStart(),
            "trim_end" => text.TrimEnd(),
            "reverse" => string.Concat(Enumerable.Reverse(TextElements.Split(text))),
            "length" => TextElements.Count(text),
            "word_count" => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
            "line_count" => text.Length == 0 ? 0 : text.TrimEnd('\n').Split('\n').Length,
            "contains" => text.Contains(Search(arguments), comparison),
            "starts_with" => text.StartsWith(Search(arguments), comparison),
            "ends_with" => text.EndsWith(Search(arguments), comparison),
            "replace" => Replace(arguments, text, ignoreCase),
            "split" => new JsonArray([.. Split(arguments, text, ignoreCase).Select(part => (JsonNode)part)]),
            _ => throw arguments.Error($"unknown operation '{operation}'."),
        };
        return new JsonObject { ["result"] = result };
    }

    private static string Search(ToolArguments arguments)
    {
        var search = arguments.RequireString("search");
        return search.Length > 0 ? search : throw arguments.Error("field 'search' must not be empty.");
    }

    private static string Capitalize(string text)
    {
        var elements = TextElements.Split(text);
        return elements.Count == 0 ? text : elements[0].ToUpperInvariant() + string.Concat(elements.Skip(1));
    }

    private static string CamelCase(string text, bool upperFirst) => string.Concat(TextElements.Words(text).Select((word, i) =>
        i == 0 && !upperFirst ? word.ToLowerInvariant() : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant()));

    private static string Replace(ToolArguments arguments, string text, bool ignoreCase)
    {
        var search = Search(arguments);
        var replacement = arguments.String("replacement", "");
        string result;
        if (arguments.Boolean("regex", false))
            result = WithRegex(arguments, search, ignoreCase, regex => regex.Replace(text, replacement));
        else
        {
            // Bounded before building: matches times the growth per match.
            var growth = (long)Math.Max(0, replacement.Length - search.Length) * (text.Length / search.Length);
            if (text.Length + growth > MaxResultLength) throw TooLong(arguments);
            result = text.Replace(search, replacement, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        return result.Length <= MaxResultLength ? result : throw TooLong(arguments);
    }

    private static string[] Split(ToolArguments arguments, string text, bool ignoreCase)
    {
        if (arguments.OptionalString("separator") is not { Length: > 0 } separator)
            return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (arguments.Boolean("regex", false)) return WithRegex(arguments, separator, ignoreCase, regex => regex.Split(text));
        return text.Split(separator, StringSplitOptions.None);
    }

    private static JsonObject Truncate(ToolArguments arguments, string text)
    {
        var max = (int)Math.Min(arguments.RequireInteger("max_length"), int.MaxValue);
        var suffix = arguments.String("suffix", "...");
        var elements = TextElements.Split(text);
        if (elements.Count <= max) return new JsonObject { ["result"] = text, ["truncated"] = false };
        var suffixElements = TextElements.Split(suffix);
        var kept = Math.Max(0, max - suffixElements.Count);
        var cut = string.Concat(elements.Take(kept)) + string.Concat(suffixElements.Take(max - kept));
        return new JsonObject { ["result"] = cut, ["truncated"] = true };
    }

    private static T WithRegex<T>(ToolArguments arguments, string pattern, bool ignoreCase, Func<Regex, T> use)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), RegexTimeout);
        }
        catch (RegexParseException e)
        {
            throw arguments.Error($"the regular expression is invalid: {e.Message.TrimEnd('.')}.");
        }
        try
        {
            return use(regex);
        }
        catch (RegexMatchTimeoutException)
        {
            throw arguments.Error($"the regular expression '{pattern}' took over {RegexTimeout.TotalSeconds:0} s; simplify it (avoid nested repeats such as (a+)+).");
        }
    }

    private static ToolException TooLong(ToolArguments arguments) =>
        arguments.Error($"the result would be over {MaxResultLength} characters; replace in smaller pieces.");
}
