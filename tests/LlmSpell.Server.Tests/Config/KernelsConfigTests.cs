using LlmSpell.Server.Config;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Config;

/// <summary>The checks of the [kernels] culling and prespawn keys: each problem names the key and what it must be.</summary>
public class KernelsConfigTests
{
    private static ConfigException Refused(string toml)
    {
        using var dir = new TempDir();
        return Assert.Throws<ConfigException>(() => ConfigLoader.Load(new ConfigSources
        {
            ConfigPath = dir.Write("kernel.toml", toml),
            Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path },
            AppSettingsDirectory = dir.Path,
        }));
    }

    [Fact]
    public void Defaults_are_jupyter_servers()
    {
        var o = new LlmSpellOptions().Kernels;
        Assert.Equal((0, 300, false, false, 0), (o.CullIdleTimeout, o.CullInterval, o.CullConnected, o.CullBusy, o.Prespawn));
    }

    [Theory]
    [InlineData("cull_interval = 0", "kernels.cull_interval", "at least 1")]
    [InlineData("cull_idle_timeout = -1", "kernels.cull_idle_timeout", "0 (never cull)")]
    [InlineData("prespawn = -1", "kernels.prespawn", "0 (no warm kernels)")]
    [InlineData("max_kernels = 2\nprespawn = 3", "kernels.prespawn", "at most max_kernels (2)")]
    public void A_bad_value_is_refused_naming_the_key_and_the_expected_value(string line, string key, string expected)
    {
        var problem = Assert.Single(Refused($"[kernels]\n{line}\n").Problems);
        Assert.Equal(key, problem.Key);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void Prespawn_beyond_a_derived_max_kernels_is_accepted()
    {
        using var dir = new TempDir();
        var loaded = ConfigLoader.Load(new ConfigSources
        {
            ConfigPath = dir.Write("kernel.toml", "[kernels]\nprespawn = 5\n"),
            Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path },
            AppSettingsDirectory = dir.Path,
        });
        Assert.Equal(5, loaded.Options.Kernels.Prespawn);
    }
}
