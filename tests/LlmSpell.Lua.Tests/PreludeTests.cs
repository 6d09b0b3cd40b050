namespace LlmSpell.Lua.Tests;

public class PreludeTests
{
    public static TheoryData<string> ChunkNames() => [.. LuaPrelude.Chunks.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(ChunkNames))]
    public void EveryEmbeddedChunkCompiles(string name)
    {
        var chunk = LuaPrelude.Chunks.Single(c => c.Name == name);
        Assert.NotEmpty(chunk.Source);
        Assert.Null(LuaPrelude.SyntaxError(chunk.Source, chunk.ChunkName));
    }

    [Fact]
    public void TheCompileCheckReportsASyntaxError()
    {
        string? error = LuaPrelude.SyntaxError("local function f(\n  return 1\nend", "=[llmspell] broken.lua");
        Assert.NotNull(error);
        Assert.StartsWith("[llmspell] broken.lua:2:", error);
        Assert.Contains("expected", error);
    }

    [Fact]
    public void EveryEmbeddedLuaFileIsLoaded()
    {
        var embedded = typeof(LuaSession).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(LuaPrelude.ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".lua", StringComparison.Ordinal))
            .Select(n => n[LuaPrelude.ResourcePrefix.Length..^".lua".Length]);
        Assert.Equal(embedded.Order(StringComparer.Ordinal), LuaPrelude.Chunks.Select(c => c.Name).Order(StringComparer.Ordinal));
    }
}
