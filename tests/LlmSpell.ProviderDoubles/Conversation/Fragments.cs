namespace LlmSpell.ProviderDoubles.Conversation;

/// <summary>Cuts streamed tool-call arguments into small pieces, as providers stream them (never inside a surrogate pair).</summary>
internal static class Fragments
{
    public static IEnumerable<string> Split(string text, int maxLength)
    {
        for (var start = 0; start < text.Length;)
        {
            var length = Math.Min(maxLength, text.Length - start);
            if (length > 1 && start + length < text.Length && char.IsHighSurrogate(text[start + length - 1])) length--;
            yield return text.Substring(start, length);
            start += length;
        }
    }
}
