using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmSpell.ProviderDoubles.Conversation;

/// <summary>A tool call the reply makes: the tool's name and its arguments as a JSON object text.</summary>
internal sealed record PlannedToolCall(string Name, string ArgumentsJson);

/// <summary>
/// The <c>[[...]]</c> directives in a user message: <c>[[call NAME {json-object}]]</c> (any number),
/// <c>[[reply TEXT]]</c>, <c>[[sleep MS]]</c>, <c>[[slow MS]]</c>; <see cref="Rest"/> is the text without them, trimmed.
/// Text in double brackets that is not a well-formed directive stays in <see cref="Rest"/>.
/// </summary>
internal sealed record Directives(IReadOnlyList<PlannedToolCall> Calls, string? Reply, int SleepMs, int SlowMs, string Rest)
{
    public static readonly Directives None = new([], null, 0, 0, "");

    public static Directives Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return None;
        var calls = new List<PlannedToolCall>();
        string? reply = null;
        int sleep = 0, slow = 0;
        var rest = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("[[", position, StringComparison.Ordinal);
            if (open < 0) break;
            rest.Append(text, position, open - position);
            if (TryParseOne(text, open, out var end, out var directive))
            {
                switch (directive)
                {
                    case PlannedToolCall call: calls.Add(call); break;
                    case ReplyText r: reply = r.Text; break;
                    case Sleep s: sleep += s.Ms; break;
                    case Slow s: slow += s.Ms; break;
                }
                position = end;
            }
            else
            {
                rest.Append("[[");
                position = open + 2;
            }
        }
        if (position < text.Length) rest.Append(text, position, text.Length - position);
        return new Directives(calls, reply, sleep, slow, rest.ToString().Trim());
    }

    private sealed record ReplyText(string Text);
    private sealed record Sleep(int Ms);
    private sealed record Slow(int Ms);

    /// <summary>Parses the directive opening at <paramref name="open"/>; <paramref name="end"/> is just past its <c>]]</c>.</summary>
    private static bool TryParseOne(string text, int open, out int end, out object? directive)
    {
        end = 0;
        directive = null;
        var start = open + 2;
        var keywordEnd = start;
        while (keywordEnd < text.Length && char.IsAsciiLetterLower(text[keywordEnd])) keywordEnd++;
        var keyword = text[start..keywordEnd];
        if (keyword == "call") return TryParseCall(text, keywordEnd, out end, out directive);

        var close = text.IndexOf("]]", keywordEnd, StringComparison.Ordinal);
        if (close < 0 || keywordEnd >= close || !char.IsWhiteSpace(text[keywordEnd])) return false;
        var argument = text[(keywordEnd + 1)..close];
        end = close + 2;
        switch (keyword)
        {
            case "reply":
                directive = new ReplyText(argument);
                return true;
            case "sleep" or "slow" when int.TryParse(argument.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                directive = keyword == "sleep" ? new Sleep(ms) : new Slow(ms);
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseCall(string text, int afterKeyword, out int end, out object? directive)
    {
        end = 0;
        directive = null;
        var i = afterKeyword;
        if (i >= text.Length || !char.IsWhiteSpace(text[i])) return false;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        var nameStart = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '{' && !text.AsSpan(i).StartsWith("]]")) i++;
        var name = text[nameStart..i];
        if (name.Length == 0) return false;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;

        var arguments = "{}";
        if (i < text.Length && text[i] == '{')
        {
            var objectEnd = EndOfJsonObject(text, i);
            if (objectEnd < 0) return false;
            var candidate = text[i..objectEnd];
            try
            {
                if (JsonNode.Parse(candidate) is not JsonObject parsed) return false;
                arguments = parsed.ToJsonString(Json.Options);
            }
            catch (System.Text.Json.JsonException) { return false; }
            i = objectEnd;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        }
        if (!text.AsSpan(i).StartsWith("]]")) return false;
        end = i + 2;
        directive = new PlannedToolCall(name, arguments);
        return true;
    }

    /// <summary>The index just past the JSON object starting at <paramref name="start"/> (braces matched outside strings), or -1.</summary>
    private static int EndOfJsonObject(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i + 1;
        }
        return -1;
    }
}
