namespace LlmSpell.Service.Install;

internal static class ServiceNames
{
    public static string Normalize(string? name, ServiceManagerKind kind)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return kind == ServiceManagerKind.Launchd
                ? ServiceInstallOptions.DefaultLaunchdLabel
                : ServiceInstallOptions.DefaultSystemdName;
        }

        var trimmed = name.Trim();
        if (kind == ServiceManagerKind.Systemd && trimmed.EndsWith(".service", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^".service".Length];
        }
        else if (kind == ServiceManagerKind.Launchd && trimmed.EndsWith(".plist", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^".plist".Length];
        }

        // Both managers derive file names from it, so keep to characters valid in unit names and labels.
        if (trimmed.Length == 0 || trimmed.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@')))
        {
            throw new ServiceInstallException(
                $"Invalid service name '{name}': use letters, digits, '-', '_', '.', ':' or '@'");
        }

        return trimmed;
    }
}
