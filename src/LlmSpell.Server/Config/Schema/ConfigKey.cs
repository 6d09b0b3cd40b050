using System.Globalization;

namespace LlmSpell.Server.Config;

public enum ConfigValueType { Integer, String, Boolean, StringArray, Float }

/// <summary>When a changed value takes effect after a reload.</summary>
public enum ReloadEffect { RestartRequired, Live, NewKernels }

/// <summary>A `kernel start` flag that sets a key. Path values are made absolute where the flag is parsed.</summary>
public sealed record ConfigFlag(string Name, string Description, string? Alias = null, bool IsPath = false, string? DefaultText = null);

/// <summary>
/// One configuration key, declared once next to its property: TOML name and type, default (the property's
/// initial value), validation, reload effect, secrecy, environment variable and optional command-line flag.
/// Everything that reads or writes configuration goes through these declarations.
/// </summary>
public abstract class ConfigKey(string section, string name, ConfigValueType type)
{
    public string Section { get; } = section;
    public string Name { get; } = name;
    public ConfigValueType Type { get; } = type;
    public ReloadEffect Reload { get; init; }
    public bool Secret { get; init; }
    public ConfigFlag? Flag { get; init; }

    /// <summary>"kernel:port": the key in the layered configuration sources.</summary>
    public string Path => $"{Section}:{Name}";

    /// <summary>"kernel.port": the key as operators write it.</summary>
    public string DisplayName => $"{Section}.{Name}";

    /// <summary>LLMSPELL_KERNEL__PORT; LLMSPELL_PROVIDERS_OPENAI__BASE_URL for [providers.openai].</summary>
    public string EnvironmentVariable => $"{ConfigSources.EnvironmentPrefix}{Section.ToUpperInvariant().Replace('.', '_')}__{Name.ToUpperInvariant()}";

    /// <summary>Parses a raw source value and stores it; false (nothing stored) when it is not of the key's type.</summary>
    public abstract bool TryAssign(LlmSpellOptions options, string raw);

    public abstract void AssignArray(LlmSpellOptions options, string[] items);

    /// <summary>The value as a TOML literal; secrets that are set come out as <see cref="Redacted"/>.</summary>
    public abstract string Format(LlmSpellOptions options);

    /// <summary>What is wrong with the bound value, or null when it is acceptable.</summary>
    public abstract string? Validate(LlmSpellOptions options);

    public const string Redacted = "<redacted>";

    public static string Describe(ConfigValueType type) => type switch
    {
        ConfigValueType.Integer => "an integer",
        ConfigValueType.Boolean => "a boolean (true or false)",
        ConfigValueType.StringArray => "an array of strings",
        ConfigValueType.Float => "a number",
        _ => "a string",
    };

    /// <summary>"0o077" is how the guide writes umask; accepted from every source.</summary>
    public static bool IsOctal(string? raw) =>
        raw is { Length: > 2 } && raw.StartsWith("0o", StringComparison.OrdinalIgnoreCase) && raw[2..].All(c => c is >= '0' and <= '7');

    internal static string Quote(string? value) =>
        value is null ? "\"\"" : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>A key of type <typeparamref name="TValue"/> stored in section <typeparamref name="TSection"/>.</summary>
public sealed class ConfigKey<TSection, TValue>(
    string section, string name, ConfigValueType type,
    Func<LlmSpellOptions, TSection> sectionOf, Func<TSection, TValue> get, Action<TSection, TValue> set,
    Func<string, (bool Ok, TValue Value)> parse, Func<TValue, string> format)
    : ConfigKey(section, name, type)
{
    public Func<TValue, string?>? Check { get; init; }

    public TValue Get(LlmSpellOptions options) => get(sectionOf(options));

    public override bool TryAssign(LlmSpellOptions options, string raw)
    {
        var (ok, value) = parse(raw);
        if (ok) set(sectionOf(options), value);
        return ok;
    }

    public override void AssignArray(LlmSpellOptions options, string[] items)
    {
        if (items is TValue value) set(sectionOf(options), value);
    }

    public override string Format(LlmSpellOptions options)
    {
        var value = Get(options);
        return Secret && value is not null ? Quote(Redacted) : format(value);
    }

    public override string? Validate(LlmSpellOptions options) => Check?.Invoke(Get(options));
}

/// <summary>Declares the keys of one section; one method per TOML type.</summary>
public sealed class SectionKeys<TSection>(string section, Func<LlmSpellOptions, TSection> of)
{
    public ConfigKey<TSection, int> Int(string name, Func<TSection, int> get, Action<TSection, int> set,
        Func<int, string?>? check = null, ReloadEffect reload = default, ConfigFlag? flag = null, Func<int, string>? format = null) =>
        new(section, name, ConfigValueType.Integer, of, get, set,
            raw => ParseInteger(raw) is (true, var v and >= int.MinValue and <= int.MaxValue) ? (true, (int)v) : (false, 0),
            format ?? (v => v.ToString(CultureInfo.InvariantCulture))) { Check = check, Reload = reload, Flag = flag };

    public ConfigKey<TSection, long> Long(string name, Func<TSection, long> get, Action<TSection, long> set,
        Func<long, string?>? check = null, ReloadEffect reload = default, ConfigFlag? flag = null) =>
        new(section, name, ConfigValueType.Integer, of, get, set, ParseInteger,
            v => v.ToString(CultureInfo.InvariantCulture)) { Check = check, Reload = reload, Flag = flag };

    public ConfigKey<TSection, bool> Bool(string name, Func<TSection, bool> get, Action<TSection, bool> set,
        ReloadEffect reload = default, ConfigFlag? flag = null) =>
        new(section, name, ConfigValueType.Boolean, of, get, set,
            raw => bool.TryParse(raw, out var v) ? (true, v) : (false, false),
            v => v ? "true" : "false") { Reload = reload, Flag = flag };

    public ConfigKey<TSection, double> Double(string name, Func<TSection, double> get, Action<TSection, double> set,
        Func<double, string?>? check = null, ReloadEffect reload = default) =>
        new(section, name, ConfigValueType.Float, of, get, set,
            raw => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? (true, v) : (false, 0),
            v => v.ToString("0.0###########", CultureInfo.InvariantCulture)) { Check = check, Reload = reload };

    public ConfigKey<TSection, string?> Str(string name, Func<TSection, string?> get, Action<TSection, string?> set,
        Func<string, string?>? check = null, ReloadEffect reload = default, ConfigFlag? flag = null, bool secret = false) =>
        new(section, name, ConfigValueType.String, of, get, set, raw => (true, raw), ConfigKey.Quote)
        {
            Check = check is null ? null : v => v is null ? null : check(v), Reload = reload, Flag = flag, Secret = secret,
        };

    public ConfigKey<TSection, string[]> StrArray(string name, Func<TSection, string[]> get, Action<TSection, string[]> set,
        ReloadEffect reload = default, Func<string[], string?>? check = null) =>
        new(section, name, ConfigValueType.StringArray, of, get, set, raw => (true, [raw]),
            v => "[" + string.Join(", ", v.Select(ConfigKey.Quote)) + "]") { Reload = reload, Check = check };

    private static (bool, long) ParseInteger(string raw)
    {
        if (ConfigKey.IsOctal(raw))
        {
            try { return (true, Convert.ToInt64(raw[2..], 8)); }
            catch (OverflowException) { return (false, 0); }
        }
        return long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? (true, value) : (false, 0);
    }
}
