using System.Globalization;
using System.Text;

namespace LlmSpell.Tools.TextManipulation;

/// <summary>Text as people count it: user-perceived characters (grapheme clusters), so "é" or an emoji with a skin tone is one.</summary>
internal static class TextElements
{
    public static List<string> Split(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext()) elements.Add(enumerator.GetTextElement());
        return elements;
    }

    public static int Count(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>The words of an identifier or phrase: split at non-alphanumerics and at case changes ("HTTPServer2go" is HTTP, Server2go).</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(words, current);
                continue;
            }
            if (current.Length > 0 && char.IsUpper(c))
            {
                var previous = current[^1];
                var nextIsLower = i + 1 < text.Length && char.IsLower(text[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower)) Flush(words, current);
            }
            current.Append(c);
        }
        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length == 0) return;
        words.Add(current.ToString());
        current.Clear();
    }
}
