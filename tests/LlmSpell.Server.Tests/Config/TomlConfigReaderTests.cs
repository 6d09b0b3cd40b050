using LlmSpell.Server.Config;

namespace LlmSpell.Server.Tests.Config;

public class TomlConfigReaderTests
{
    [Fact]
    public void Guide_example_parses_without_problems_and_umask_is_octal()
    {
        var toml = TomlConfigReader.Parse(GuideExample.Toml, "kernel.toml");

        Assert.Empty(toml.Problems);
        Assert.Equal("63", toml.Values["daemon:umask"]);
        Assert.Equal("9555", toml.Values["kernel:port"]);
        Assert.Equal("true", toml.Values["logging:compress"]);
        Assert.Equal("127.0.0.1", toml.Values["security:allowed_origins:1"]);
    }

    [Fact]
    public void Wrong_type_names_file_line_column_key_and_expected_type()
    {
        var toml = TomlConfigReader.Parse("[kernel]\nip = \"127.0.0.1\"\nport = \"abc\"\n", "/etc/llmspell/kernel.toml");

        var problem = Assert.Single(toml.Problems);
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Equal("kernel.port", problem.Key);
        Assert.Equal(new ConfigLocation("/etc/llmspell/kernel.toml", 3, 1), problem.Location);
        Assert.Contains("expected an integer", problem.Message);
        Assert.Contains("/etc/llmspell/kernel.toml:3:1", problem.ToString());
    }

    [Fact]
    public void Malformed_toml_is_an_error_with_position()
    {
        var toml = TomlConfigReader.Parse("[kernel]\nport = = 9555\n", "bad.toml");

        var problem = toml.Problems.First(p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(new ConfigLocation("bad.toml", 2, 8), problem.Location);
        Assert.Contains("TOML syntax", problem.Message);
    }

    [Fact]
    public void Unknown_key_is_a_warning_with_a_suggestion()
    {
        var toml = TomlConfigReader.Parse("[kernel]\nprot = 9600\n", "kernel.toml");

        var problem = Assert.Single(toml.Problems);
        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        Assert.Equal("kernel.prot", problem.Key);
        Assert.Contains("did you mean kernel.port", problem.Message);
        Assert.Equal(2, problem.Location!.Line);
        Assert.False(toml.Values.ContainsKey("kernel:prot"));
    }

    [Fact]
    public void Unknown_section_and_top_level_key_are_warnings()
    {
        var toml = TomlConfigReader.Parse("port = 1\n[kernal]\nport = 9600\n", "kernel.toml");

        Assert.All(toml.Problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        Assert.Contains(toml.Problems, p => p.Message.Contains("did you mean [kernel]"));
        Assert.Contains(toml.Problems, p => p.Message.Contains("top-level keys are ignored"));
    }

    [Theory]
    [InlineData("[logging]\ncompress = \"yes\"\n", "logging.compress", "a boolean")]
    [InlineData("[security]\nallowed_origins = \"localhost\"\n", "security.allowed_origins", "an array of strings")]
    [InlineData("[security]\nallowed_origins = [\"a\", 1]\n", "security.allowed_origins", "non-string")]
    [InlineData("[kernel]\nport = 9555.5\n", "kernel.port", "float")]
    [InlineData("[kernel]\nip = 127\n", "kernel.ip", "a string")]
    public void Each_type_mismatch_is_reported(string text, string key, string expectedFragment)
    {
        var problem = Assert.Single(TomlConfigReader.Parse(text, "k.toml").Problems);
        Assert.Equal(key, problem.Key);
        Assert.Contains(expectedFragment, problem.Message);
    }

    [Fact]
    public void Unreadable_file_is_an_error_naming_the_path()
    {
        var toml = TomlConfigReader.Read("/nonexistent-dir/kernel.toml");
        var problem = Assert.Single(toml.Problems);
        Assert.Contains("/nonexistent-dir/kernel.toml", problem.Message);
    }
}
