using LlmSpell.Service.Paths;

namespace LlmSpell.Service.Install;

/// <summary>Directories that receive service files; overridable so tests never touch /etc.</summary>
public sealed record InstallLocations
{
    public required string SystemdSystemDir { get; init; }

    public required string SystemdUserDir { get; init; }

    public required string LaunchAgentsDir { get; init; }

    public required string LaunchDaemonsDir { get; init; }

    public required string LogrotateDir { get; init; }

    public static InstallLocations Default => For(ServiceEnvironment.Current());

    public static InstallLocations For(ServiceEnvironment environment)
    {
        var home = environment.Home ?? $"/tmp/llmspell-{environment.EffectiveUserId}";
        var config = !string.IsNullOrEmpty(environment.XdgConfigHome) && Path.IsPathRooted(environment.XdgConfigHome)
            ? environment.XdgConfigHome
            : Path.Combine(home, ".config");
        return new InstallLocations
        {
            SystemdSystemDir = "/etc/systemd/system",
            SystemdUserDir = Path.Combine(config, "systemd", "user"),
            LaunchAgentsDir = Path.Combine(home, "Library", "LaunchAgents"),
            LaunchDaemonsDir = "/Library/LaunchDaemons",
            LogrotateDir = LogrotateConfigGenerator.DefaultDirectory,
        };
    }

    /// <summary>Everything under one root (tests, packaging into a staging directory).</summary>
    public static InstallLocations UnderRoot(string root) => new()
    {
        SystemdSystemDir = Path.Combine(root, "etc/systemd/system"),
        SystemdUserDir = Path.Combine(root, "home/.config/systemd/user"),
        LaunchAgentsDir = Path.Combine(root, "home/Library/LaunchAgents"),
        LaunchDaemonsDir = Path.Combine(root, "Library/LaunchDaemons"),
        LogrotateDir = Path.Combine(root, "etc/logrotate.d"),
    };
}
