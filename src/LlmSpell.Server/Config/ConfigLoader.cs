using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmSpell.Server.Config;

/// <summary>
/// Builds the effective configuration from, in increasing priority: defaults, appsettings.json, the TOML file,
/// LLMSPELL_SECTION__KEY environment variables and command-line flags; then validates it.
/// </summary>
public static class ConfigLoader
{
    public static LoadedConfig Load(ConfigSources sources)
    {
        var problems = new List<ConfigProblem>();
        var configFile = ResolveConfigFile(sources, problems);

        TomlConfig? toml = null;
        if (configFile is not null)
        {
            toml = TomlConfigReader.Read(configFile);
            problems.AddRange(toml.Problems);
        }

        var envOverrides = EnvironmentOverrides(sources, problems);
        var appSettings = Path.Combine(sources.AppSettingsDirectory ?? AppContext.BaseDirectory, "appsettings.json");
        var builder = new ConfigurationBuilder();
        if (File.Exists(appSettings))
            builder.AddJsonFile(appSettings, optional: true, reloadOnChange: false);
        builder.AddInMemoryCollection(toml?.Values ?? new Dictionary<string, string?>());
        builder.AddInMemoryCollection(envOverrides.Values);
        builder.AddInMemoryCollection(sources.Overrides);
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            problems.Add(new ConfigProblem(ProblemSeverity.Error, null, $"cannot read {appSettings}: {e.Message}"));
            throw new ConfigException(problems);
        }

        var options = new LlmSpellOptions();
        Bind(root, options, problems, toml, envOverrides);
        var sourceOfKey = DescribeSources(options, toml, envOverrides, sources, appSettings, root);

        var locations = toml?.Locations ?? new Dictionary<string, ConfigLocation>();
        problems.AddRange(ConfigValidator.Validate(options, key => locations.GetValueOrDefault(key), sourceOfKey));

        if (problems.Any(p => p.Severity == ProblemSeverity.Error))
            throw new ConfigException(problems);
        return new LoadedConfig(options, configFile, problems, sourceOfKey);
    }

    /// <summary>--config, else LLMSPELL_CONFIG (both must exist), else the standard location if it exists.</summary>
    private static string? ResolveConfigFile(ConfigSources sources, List<ConfigProblem> problems)
    {
        var explicitPath = sources.ConfigPath;
        var origin = "--config";
        if (string.IsNullOrWhiteSpace(explicitPath))
        {
            explicitPath = sources.GetEnvironment(ConfigSources.ConfigEnvironmentVariable);
            origin = ConfigSources.ConfigEnvironmentVariable;
        }
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (File.Exists(full)) return full;
            problems.Add(new ConfigProblem(ProblemSeverity.Error, null,
                $"configuration file {full} (from {origin}) does not exist; create it or point {origin} at an existing file"));
            return null;
        }
        var standard = StandardConfigPath();
        return File.Exists(standard) ? standard : null;
    }

    /// <summary>/etc/llmspell/kernel.toml for root, else ~/.config/llmspell/kernel.toml (XDG_CONFIG_HOME honoured).</summary>
    public static string StandardConfigPath() => LlmSpell.Service.Paths.ServicePaths.Default.ConfigFile;

    private sealed record EnvOverrides(Dictionary<string, string?> Values, Dictionary<string, string> VariableOfKey);

    /// <summary>LLMSPELL_KERNEL__PORT=9600 → kernel:port. Unknown LLMSPELL_SECTION__KEY names are warned about.</summary>
    private static EnvOverrides EnvironmentOverrides(ConfigSources sources, List<ConfigProblem> problems)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in sources.EnvironmentVariables())
        {
            if (!name.StartsWith(ConfigSources.EnvironmentPrefix, StringComparison.Ordinal)) continue;
            var rest = name[ConfigSources.EnvironmentPrefix.Length..];
            var parts = rest.Split("__");
            if (parts.Length != 2) continue; // LLMSPELL_CONFIG, LLMSPELL_HMAC_KEY and friends are read elsewhere.
            if (ConfigSchema.Find(parts[0], parts[1]) is not { } key)
            {
                problems.Add(new ConfigProblem(ProblemSeverity.Warning, name, "unknown configuration variable, ignored (expected LLMSPELL_<SECTION>__<KEY>, e.g. LLMSPELL_KERNEL__PORT)"));
                continue;
            }
            if (key.Type == ConfigValueType.StringArray)
            {
                var items = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < items.Length; i++) values[$"{key.Path}:{i}"] = items[i];
            }
            else
            {
                values[key.Path] = value;
            }
            variables[key.Path] = name;
        }
        return new EnvOverrides(values, variables);
    }

    /// <summary>
    /// Stores each key's highest-priority value through its declaration. A value of the wrong type is reported and
    /// left at its default, so validation can still list every other problem.
    /// </summary>
    private static void Bind(IConfigurationRoot root, LlmSpellOptions options, List<ConfigProblem> problems, TomlConfig? toml, EnvOverrides env)
    {
        var mistyped = problems.Where(p => p.Severity == ProblemSeverity.Error && p.Key is not null).Select(p => p.Key!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, _) in root.AsEnumerable())
            if (ConfigSchema.ProviderOfSection(path.Split(':')[0]) is { } provider)
                options.Providers.GetOrAdd(provider.Name);
        foreach (var key in ConfigSchema.KeysOf(options))
        {
            if (mistyped.Contains(key.DisplayName)) continue;
            if (key.Type == ConfigValueType.StringArray)
            {
                // Configuration merges arrays element by element across sources; an array must come whole from the highest source that sets it.
                if (HighestSourceArray(root, key.Path) is { } items) key.AssignArray(options, items);
                continue;
            }
            if (root[key.Path] is { } raw && !key.TryAssign(options, raw))
                problems.Add(TypeProblem(key, raw, toml, env));
        }
        if (options.Providers.Named.Count == 0)
            foreach (var name in LlmSpell.Llm.ProviderDefaults.Predefined.Select(p => p.Name))
                options.Providers.GetOrAdd(name);
    }

    private static string[]? HighestSourceArray(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            var indexes = provider.GetChildKeys([], key).Distinct().ToList();
            if (indexes.Count == 0) continue;
            return indexes
                .OrderBy(i => int.TryParse(i, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
                .Select(i => provider.TryGet($"{key}:{i}", out var v) ? v : null)
                .OfType<string>()
                .ToArray();
        }
        return null;
    }

    private static ConfigProblem TypeProblem(ConfigKey key, string raw, TomlConfig? toml, EnvOverrides env)
    {
        var source = env.VariableOfKey.TryGetValue(key.Path, out var variable) ? $" (from {variable})" : "";
        return new ConfigProblem(ProblemSeverity.Error, key.DisplayName, $"expected {ConfigKey.Describe(key.Type)}, found \"{raw}\"{source}",
            toml?.Locations.GetValueOrDefault(key.Path));
    }

    private static Dictionary<string, string> DescribeSources(LlmSpellOptions options, TomlConfig? toml, EnvOverrides env, ConfigSources sources, string appSettings, IConfigurationRoot root)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in ConfigSchema.KeysOf(options))
        {
            {
                var path = key.Path;
                if (sources.Overrides.Keys.Any(k => k.Equals(path, StringComparison.OrdinalIgnoreCase) || k.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)))
                    result[path] = "command line";
                else if (env.VariableOfKey.TryGetValue(path, out var variable))
                    result[path] = variable;
                else if (toml?.Locations.TryGetValue(path, out var location) == true)
                    result[path] = location.ToString();
                else if (root.Providers.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>().Any(p => p.TryGet(path, out _) || p.GetChildKeys([], path).Any()))
                    result[path] = Path.GetFileName(appSettings);
            }
        }
        return result;
    }
}
