using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmSpell.EndToEnd.Tests.Support;

public static partial class Check
{
    public static void ExitCode(int expected, ProcessResult result)
    {
        if (result.ExitCode != expected) Assert.Fail($"expected exit code {expected}, got {result.ExitCode}\n{result}");
    }

    public static void Contains(string expected, string actual, object context, StringComparison comparison = StringComparison.Ordinal)
    {
        if (!actual.Contains(expected, comparison)) Assert.Fail($"expected to find \"{expected}\"\n{context}");
    }

    public static void DoesNotContain(string unexpected, string actual, object context)
    {
        if (actual.Contains(unexpected, StringComparison.Ordinal)) Assert.Fail($"did not expect to find \"{unexpected}\"\n{context}");
    }

    [GeneratedRegex(@"^\s+at \S+.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    /// <summary>No .NET stack trace frames and no exception type names: what a user reads must be a message.</summary>
    public static void NoStackTrace(string text, object context)
    {
        if (StackFrame().Match(text) is { Success: true } frame) Assert.Fail($"a stack trace was printed (\"{frame.Value.Trim()}\")\n{context}");
        if (text.Contains("Exception:", StringComparison.Ordinal) || text.Contains("Exception (", StringComparison.Ordinal))
            Assert.Fail($"an exception was printed\n{context}");
    }

    public static JsonElement Json(string text, object context)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"not JSON ({e.Message})\n{context}");
            throw;
        }
    }
}
