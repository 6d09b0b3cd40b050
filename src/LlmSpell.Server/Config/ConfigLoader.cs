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
        var sourceOfKey = DescribeSources(toml, envOverrides, sources, appSettings, root);

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
            var section = parts[0].ToLowerInvariant();
            var key = parts[1].ToLowerInvariant();
            if (!ConfigSchema.Sections.TryGetValue(section, out var keys) || !keys.TryGetValue(key, out var type))
            {
                problems.Add(new ConfigProblem(ProblemSeverity.Warning, name, "unknown configuration variable, ignored (expected LLMSPELL_<SECTION>__<KEY>, e.g. LLMSPELL_KERNEL__PORT)"));
                continue;
            }
            if (type == ConfigValueType.StringArray)
            {
                var items = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < items.Length; i++) values[$"{section}:{key}:{i}"] = items[i];
            }
            else
            {
                values[$"{section}:{key}"] = value;
            }
            variables[$"{section}:{key}"] = name;
        }
        return new EnvOverrides(values, variables);
    }

    private static void Bind(IConfigurationRoot root, LlmSpellOptions options, List<ConfigProblem> problems, TomlConfig? toml, EnvOverrides env)
    {
        foreach (var (section, keys) in ConfigSchema.Sections)
        {
            foreach (var (key, type) in keys)
            {
                var path = $"{section}:{key}";
                if (type == ConfigValueType.StringArray) continue;
                var raw = root[path];
                if (raw is null) continue;
                if (type == ConfigValueType.Integer && !long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) && !IsOctal(raw))
                    problems.Add(TypeProblem(path, type, raw, toml, env));
                if (type == ConfigValueType.Boolean && !bool.TryParse(raw, out _))
                    problems.Add(TypeProblem(path, type, raw, toml, env));
            }
        }
        // Mistyped values are dropped (already reported) so validation can still list every other problem.
        foreach (var problem in problems.Where(p => p.Severity == ProblemSeverity.Error && p.Key is not null).ToList())
            root[problem.Key!.Replace('.', ':')] = null;

        foreach (var (section, keys) in ConfigSchema.Sections)
            foreach (var (key, type) in keys)
                if (type == ConfigValueType.Integer && IsOctal(root[$"{section}:{key}"]))
                    root[$"{section}:{key}"] = Convert.ToInt32(root[$"{section}:{key}"]![2..], 8).ToString(CultureInfo.InvariantCulture);

        root.Bind(options);
        // Configuration merges arrays element by element across sources; an array must come whole from the highest source that sets it.
        options.Security.AllowedOrigins = HighestSourceArray(root, "security:allowed_origins") ?? ["localhost", "127.0.0.1"];
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

    /// <summary>"0o077" is how the guide writes umask; accepted from environment and flags too.</summary>
    private static bool IsOctal(string? raw) =>
        raw is { Length: > 2 } && raw.StartsWith("0o", StringComparison.OrdinalIgnoreCase) && raw[2..].All(c => c is >= '0' and <= '7');

    private static ConfigProblem TypeProblem(string path, ConfigValueType type, string raw, TomlConfig? toml, EnvOverrides env)
    {
        var display = path.Replace(':', '.');
        var source = env.VariableOfKey.TryGetValue(path, out var variable) ? $" (from {variable})" : "";
        return new ConfigProblem(ProblemSeverity.Error, display, $"expected {ConfigSchema.Describe(type)}, found \"{raw}\"{source}",
            toml?.Locations.GetValueOrDefault(path));
    }

    private static Dictionary<string, string> DescribeSources(TomlConfig? toml, EnvOverrides env, ConfigSources sources, string appSettings, IConfigurationRoot root)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, keys) in ConfigSchema.Sections)
        {
            foreach (var key in keys.Keys)
            {
                var path = $"{section}:{key}";
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
