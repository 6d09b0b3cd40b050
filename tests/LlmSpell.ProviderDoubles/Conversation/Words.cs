using System.Text.RegularExpressions;

namespace LlmSpell.ProviderDoubles.Conversation;

/// <summary>The double's notion of a token: a run of non-whitespace characters.</summary>
internal static partial class Words
{
    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex LeadingSpaceAndWord();

    public static int Count(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>
    /// Splits <paramref name="text"/> into chunks of one word each, with the whitespace before it (trailing whitespace
    /// goes to the last chunk), so the chunks concatenate to exactly the text. Whitespace-only text is one chunk; "" none.
    /// </summary>
    public static List<string> Chunks(string text)
    {
        var chunks = LeadingSpaceAndWord().Matches(text).Select(match => match.Value).ToList();
        var covered = chunks.Sum(chunk => chunk.Length);
        if (covered < text.Length)
        {
            if (chunks.Count == 0) chunks.Add(text);
            else chunks[^1] += text[covered..];
        }
        return chunks;
    }
}
