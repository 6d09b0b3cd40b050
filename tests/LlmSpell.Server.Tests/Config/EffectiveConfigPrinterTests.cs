using LlmSpell.Server.Config;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Config;

public class EffectiveConfigPrinterTests
{
    [Fact]
    public void Secrets_are_redacted_and_sources_named()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", GuideExample.Toml);
        var config = ConfigLoader.Load(new ConfigSources { ConfigPath = toml, Environment = new Dictionary<string, string?>(), AppSettingsDirectory = dir.Path });

        var text = EffectiveConfigPrinter.ToToml(config);

        Assert.DoesNotContain("your-secret-key-here", text);
        Assert.Contains("hmac_key = \"<redacted>\"", text);
        Assert.Contains("umask = 0o077", text);
        Assert.Contains($"port = 9555  # {toml}:5:1", text);
        // The printed effective configuration is itself valid TOML that loads back to the same values.
        var reparsed = TomlConfigReader.Parse(text, "effective.toml");
        Assert.DoesNotContain(reparsed.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal("63", reparsed.Values["daemon:umask"]);
    }
}
