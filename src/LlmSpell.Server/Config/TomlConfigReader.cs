using System.Globalization;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LlmSpell.Server.Config;

/// <summary>The TOML file flattened to configuration keys ("kernel:port"), with where each key was written.</summary>
public sealed record TomlConfig(
    IReadOnlyDictionary<string, string?> Values,
    IReadOnlyDictionary<string, ConfigLocation> Locations,
    IReadOnlyList<ConfigProblem> Problems);

/// <summary>
/// Reads the guide's TOML file through Tomlyn's syntax tree so every problem can name file, line and column.
/// Types are checked against <see cref="ConfigSchema"/>; unknown keys are warnings, not silently ignored.
/// </summary>
public static class TomlConfigReader
{
    public static TomlConfig Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is UnauthorizedAccessException ? "Permission denied" : e.Message;
            return new TomlConfig(new Dictionary<string, string?>(), new Dictionary<string, ConfigLocation>(),
                [new ConfigProblem(ProblemSeverity.Error, null, $"cannot read configuration file {path}: {reason}")]);
        }
        return Parse(text, path);
    }

    public static TomlConfig Parse(string text, string fileName)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var locations = new Dictionary<string, ConfigLocation>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<ConfigProblem>();

        var document = SyntaxParser.Parse(text, fileName, validate: true);
        foreach (var diagnostic in document.Diagnostics)
        {
            var severity = diagnostic.Kind == DiagnosticMessageKind.Error ? ProblemSeverity.Error : ProblemSeverity.Warning;
            problems.Add(new ConfigProblem(severity, null, $"TOML syntax: {diagnostic.Message}", At(fileName, diagnostic.Span)));
        }
        if (document.HasErrors)
            return new TomlConfig(values, locations, problems);

        foreach (var keyValue in document.KeyValues)
        {
            problems.Add(new ConfigProblem(ProblemSeverity.Warning, KeyText(keyValue.Key),
                "top-level keys are ignored; put it under one of the sections " + string.Join(", ", ConfigSchema.SectionNames.Select(s => $"[{s}]")),
                At(fileName, keyValue.Span)));
        }

        foreach (var table in document.Tables)
        {
            var section = KeyText(table.Name);
            if (table is TableArraySyntax || ConfigSchema.KeysOfSection(section) is not { } keys)
            {
                var hint = ConfigSchema.Suggest(section, ConfigSchema.SectionNames);
                problems.Add(new ConfigProblem(ProblemSeverity.Warning, $"[{section}]",
                    "unknown section, ignored" + (hint is null ? "" : $" (did you mean [{hint}]?)") +
                    "; known sections: " + string.Join(", ", ConfigSchema.SectionNames.Select(s => $"[{s}]")),
                    At(fileName, table.Span)));
                continue;
            }

            foreach (var item in table.Items)
            {
                var name = KeyText(item.Key);
                var location = At(fileName, item.Span);
                var fullKey = $"{section}.{name}";
                if (!keys.TryGetValue(name, out var declared))
                {
                    var hint = ConfigSchema.Suggest(name, keys.Keys);
                    problems.Add(new ConfigProblem(ProblemSeverity.Warning, fullKey,
                        "unknown key, ignored" + (hint is null ? "" : $" (did you mean {section}.{hint}?)"), location));
                    continue;
                }

                var configKey = $"{section}:{name}";
                locations[configKey] = location;
                if (!TryFlatten(item.Value, declared.Type, configKey, values, out var actual))
                {
                    problems.Add(new ConfigProblem(ProblemSeverity.Error, fullKey,
                        $"expected {ConfigKey.Describe(declared.Type)}, found {actual}", location));
                }
            }
        }
        return new TomlConfig(values, locations, problems);
    }

    private static bool TryFlatten(ValueSyntax? value, ConfigValueType expected, string key, Dictionary<string, string?> into, out string actual)
    {
        actual = Describe(value);
        switch (expected, value)
        {
            case (ConfigValueType.Integer, IntegerValueSyntax i):
                into[key] = i.Value.ToString(CultureInfo.InvariantCulture);
                return true;
            case (ConfigValueType.String, StringValueSyntax s):
                into[key] = s.Value ?? "";
                return true;
            case (ConfigValueType.Float, FloatValueSyntax f):
                into[key] = f.Value.ToString("R", CultureInfo.InvariantCulture);
                return true;
            case (ConfigValueType.Float, IntegerValueSyntax i):
                into[key] = i.Value.ToString(CultureInfo.InvariantCulture);
                return true;
            case (ConfigValueType.Boolean, BooleanValueSyntax b):
                into[key] = b.Value ? "true" : "false";
                return true;
            case (ConfigValueType.StringArray, ArraySyntax array):
                var items = array.Items.Select(item => item.Value).ToList();
                if (items.Any(v => v is not StringValueSyntax))
                {
                    actual = "an array containing non-string values";
                    return false;
                }
                for (var index = 0; index < items.Count; index++)
                    into[$"{key}:{index}"] = ((StringValueSyntax)items[index]!).Value;
                return true;
            default:
                return false;
        }
    }

    private static string Describe(ValueSyntax? value) => value switch
    {
        IntegerValueSyntax i => $"the integer {i.Value}",
        StringValueSyntax => "a string",
        BooleanValueSyntax b => $"the boolean {(b.Value ? "true" : "false")}",
        FloatValueSyntax f => $"the float {f.Value.ToString(CultureInfo.InvariantCulture)}",
        ArraySyntax => "an array",
        InlineTableSyntax => "an inline table",
        DateTimeValueSyntax => "a date-time",
        _ => "an unsupported value",
    };

    private static string KeyText(KeySyntax? key)
    {
        if (key is null) return "";
        var parts = new List<string> { PartText(key.Key) };
        if (key.DotKeys is not null)
            parts.AddRange(key.DotKeys.Select(d => PartText(d?.Key)));
        return string.Join(".", parts);
    }

    private static string PartText(BareKeyOrStringValueSyntax? part) => part switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    private static ConfigLocation At(string file, SourceSpan span) => new(file, span.Start.Line + 1, span.Start.Column + 1);
}
