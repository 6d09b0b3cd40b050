using System.CommandLine;
using System.Globalization;
using LlmSpell.Server.Config;

namespace LlmSpell.Cli.Commands;

/// <summary>The `kernel start` flags that set configuration keys, built from the keys' own <see cref="ConfigFlag"/> declarations.</summary>
public sealed class ConfigFlags
{
    private readonly List<(ConfigKey Key, Option Option)> _flags = [];

    public ConfigFlags()
    {
        foreach (var key in ConfigSchema.Keys)
        {
            if (key.Flag is not { } flag) continue;
            var description = $"{flag.Description} [{key.DisplayName}{DefaultText(key, flag)}]";
            Option option = key.Type switch
            {
                ConfigValueType.Integer => new Option<int?>(flag.Name, Aliases(flag)) { Description = description },
                ConfigValueType.Boolean => new Option<bool>(flag.Name, Aliases(flag)) { Description = description },
                _ => new Option<string?>(flag.Name, Aliases(flag)) { Description = description },
            };
            _flags.Add((key, option));
        }
    }

    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>The flags given on the command line as configuration overrides ("kernel:port" → "9600").</summary>
    public Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var (key, option) in _flags)
        {
            var value = option switch
            {
                Option<int?> i => parse.GetValue(i)?.ToString(CultureInfo.InvariantCulture),
                Option<bool> b => parse.GetValue(b) ? "true" : null,
                Option<string?> s => parse.GetValue(s),
                _ => null,
            };
            if (value is null) continue;
            overrides[key.Path] = key.Flag!.IsPath ? Path.GetFullPath(value) : value;
        }
        return overrides;
    }

    /// <summary>The flag that sets <paramref name="path"/>, for re-executing with the same overrides.</summary>
    public static ConfigKey? KeyOf(string path) =>
        ConfigSchema.Keys.FirstOrDefault(k => k.Flag is not null && k.Path.Equals(path, StringComparison.OrdinalIgnoreCase));

    private static string[] Aliases(ConfigFlag flag) => flag.Alias is null ? [] : [flag.Alias];

    private static string DefaultText(ConfigKey key, ConfigFlag flag)
    {
        if (flag.DefaultText is { } text) return ", default " + text;
        if (key.Type == ConfigValueType.Boolean) return "";
        var value = key.Format(new LlmSpellOptions());
        return value is "\"\"" or "0" ? "" : ", default " + value.Trim('"');
    }
}
