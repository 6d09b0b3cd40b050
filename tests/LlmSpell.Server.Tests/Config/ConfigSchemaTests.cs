using LlmSpell.Server.Config;

namespace LlmSpell.Server.Tests.Config;

/// <summary>Every declared key works through every path that reads the schema: TOML, environment, printout and reload diff.</summary>
public class ConfigSchemaTests
{
    public static TheoryData<string> KeyPaths() => new(ConfigSchema.Keys.Select(k => k.Path));

    /// <summary>A valid value of the key's type that differs from its default.</summary>
    private static string ChangedRaw(ConfigKey key)
    {
        var defaults = new LlmSpellOptions();
        foreach (var candidate in key.Type switch
                 {
                     ConfigValueType.Integer => new[] { "1", "2" },
                     ConfigValueType.Boolean => ["true", "false"],
                     ConfigValueType.Float => ["0.5", "2"],
                     // default_provider must name a predefined provider; state.backend has two values.
                     _ when key.Path == "providers:default_provider" => ["anthropic"],
                     _ when key.Path == "state:backend" => ["memory"],
                     _ => ["debug", "127.0.0.2", "http://peer-1.example:9555"],
                 })
        {
            var options = new LlmSpellOptions();
            if (key.TryAssign(options, candidate) && key.Validate(options) is null && key.Format(options) != key.Format(defaults)) return candidate;
        }
        throw new InvalidOperationException($"no changed value for {key.Path}");
    }

    [Theory]
    [MemberData(nameof(KeyPaths))]
    public void Each_key_is_read_from_its_environment_variable_and_named_as_the_source(string path)
    {
        var key = ConfigSchema.Keys.Single(k => k.Path == path);
        var raw = key.Type == ConfigValueType.StringArray ? (path == "cluster:peers" ? "http://a.example:9555,http://b.example:9555" : "a.example,b.example") : ChangedRaw(key);
        using var dir = new TempDir();
        // tls_enabled = true is valid only with a certificate and key: give every run both, so no key is left out.
        var environment = new Dictionary<string, string?>
        {
            ["LLMSPELL_SECURITY__TLS_CERT"] = dir.File("cert.pem"),
            ["LLMSPELL_SECURITY__TLS_KEY"] = dir.File("key.pem"),
            [key.EnvironmentVariable] = raw,
        };
        var sources = new ConfigSources { Environment = environment, AppSettingsDirectory = dir.Path, ConfigPath = dir.Write("empty.toml", "") };
        var loaded = ConfigLoader.Load(sources);
        Assert.DoesNotContain(loaded.Warnings, w => w.Key == key.EnvironmentVariable);
        Assert.Equal(key.EnvironmentVariable, loaded.SourceOf(key.Section, key.Name));
        Assert.NotEqual(key.Format(new LlmSpellOptions()), key.Format(loaded.Options));
    }

    [Theory]
    [MemberData(nameof(KeyPaths))]
    public void Each_key_is_printed_and_a_change_to_it_is_in_the_reload_diff(string path)
    {
        var key = ConfigSchema.Keys.Single(k => k.Path == path);
        var changed = new LlmSpellOptions();
        if (key.Type == ConfigValueType.StringArray) key.AssignArray(changed, ["a.example"]);
        else Assert.True(key.TryAssign(changed, ChangedRaw(key)));

        var printed = EffectiveConfigPrinter.ToToml(new LoadedConfig(changed, null, [], new Dictionary<string, string>()));
        Assert.Contains($"\n{key.Name} = ", printed);

        var diff = ConfigStore.Diff(new LlmSpellOptions(), changed).ToList();
        var change = Assert.Single(diff);
        Assert.Equal(key.DisplayName, change.Key);
        Assert.Equal(key.Reload, change.Effect);
        if (key.Secret)
        {
            // Listed, but only as redacted: the value itself never appears.
            Assert.Equal($"\"{ConfigKey.Redacted}\"", change.New);
            Assert.DoesNotContain(ChangedRaw(key), printed);
        }
    }

    [Fact]
    public void Secrets_are_redacted_in_the_printout()
    {
        var options = new LlmSpellOptions();
        options.Security.HmacKey = "s3cret-value";
        var printed = EffectiveConfigPrinter.ToToml(new LoadedConfig(options, null, [], new Dictionary<string, string>()));
        Assert.DoesNotContain("s3cret-value", printed);
        Assert.Contains($"hmac_key = \"{ConfigKey.Redacted}\"", printed);
    }

    [Fact]
    public void Key_names_are_unique_and_every_section_is_known_to_the_toml_reader()
    {
        Assert.Equal(ConfigSchema.Keys.Count, ConfigSchema.Keys.Select(k => k.Path).Distinct().Count());
        var toml = string.Join("\n", ConfigSchema.SectionNames.Select(s => $"[{s}]"));
        var read = TomlConfigReader.Parse(toml, "all.toml");
        Assert.DoesNotContain(read.Problems, p => p.Message.Contains("unknown section"));
        Assert.Contains(ConfigSchema.Keys, k => k.Path == "kernels:max_kernels");
    }
}
