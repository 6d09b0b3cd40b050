using System.Security;
using System.Text;
using LlmSpell.Service.Paths;

namespace LlmSpell.Service.Install;

/// <summary>Builds the launchd property list from the deployment guide.</summary>
public static class LaunchdPlistGenerator
{
    /// <remarks>
    /// No --daemon: launchd supervises a foreground process (KeepAlive would otherwise restart the
    /// exiting launcher forever).
    /// </remarks>
    public static string Generate(
        ServiceInstallOptions options, IServiceAccountLookup? accounts = null, ServiceEnvironment? environment = null)
    {
        var service = ServiceDefinition.From(options, ServiceManagerKind.Launchd, environment);
        var user = service.IsSystem && (accounts ?? new SystemAccountLookup()).PrimaryGroupOf(options.ServiceUser) is not null
            ? options.ServiceUser
            : null;
        var plist = new StringBuilder();
        plist.AppendLine("""<?xml version="1.0" encoding="UTF-8"?>""");
        plist.AppendLine("""<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">""");
        plist.AppendLine("""<plist version="1.0">""");
        plist.AppendLine("<dict>");
        Key(plist, "Label");
        String(plist, service.Name);
        Key(plist, "ProgramArguments");
        plist.AppendLine("    <array>");
        foreach (var argument in service.Command.ToArgv().Concat(service.StartArguments()))
        {
            plist.AppendLine($"        <string>{Escape(argument)}</string>");
        }

        plist.AppendLine("    </array>");
        Key(plist, "RunAtLoad");
        plist.AppendLine("    <true/>");
        Key(plist, "KeepAlive");
        plist.AppendLine("    <true/>");
        if (user is not null)
        {
            Key(plist, "UserName");
            String(plist, user);
        }

        Key(plist, "StandardOutPath");
        String(plist, Path.Combine(service.LogDir, "stdout.log"));
        Key(plist, "StandardErrorPath");
        String(plist, Path.Combine(service.LogDir, "stderr.log"));
        plist.AppendLine("</dict>");
        plist.AppendLine("</plist>");
        return plist.ToString();
    }

    /// <summary>~/Library/LaunchAgents/LABEL.plist or /Library/LaunchDaemons/LABEL.plist.</summary>
    public static string PlistPath(ServiceInstallOptions options, InstallLocations locations)
    {
        var label = ServiceNames.Normalize(options.Name, ServiceManagerKind.Launchd);
        var directory = options.System ? locations.LaunchDaemonsDir : locations.LaunchAgentsDir;
        return Path.Combine(directory, label + ".plist");
    }

    private static void Key(StringBuilder plist, string key) => plist.AppendLine($"    <key>{Escape(key)}</key>");

    private static void String(StringBuilder plist, string value) => plist.AppendLine($"    <string>{Escape(value)}</string>");

    private static string Escape(string value) => SecurityElement.Escape(value);
}
