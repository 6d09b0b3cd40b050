using System.Globalization;
using System.Text;

namespace LlmSpell.Server.Config;

/// <summary>Renders the effective configuration as TOML, secrets redacted, each key annotated with its source.</summary>
public static class EffectiveConfigPrinter
{
    public static string ToToml(LoadedConfig config)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# effective configuration (config file: {config.ConfigFile ?? "none"})");
        foreach (var section in ConfigSchema.KeysOf(config.Options).GroupBy(k => k.Section))
        {
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"[{section.Key}]");
            foreach (var key in section)
                sb.AppendLine(CultureInfo.InvariantCulture, $"{key.Name} = {key.Format(config.Options)}  # {config.SourceOf(key.Section, key.Name)}");
        }
        return sb.ToString();
    }
}
