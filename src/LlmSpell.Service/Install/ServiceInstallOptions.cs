using LlmSpell.Service.Paths;

namespace LlmSpell.Service.Install;

/// <summary>The `kernel install-service` options, already parsed by the CLI.</summary>
public sealed record ServiceInstallOptions
{
    public const string DefaultSystemdName = "llmspell-kernel";
    public const string DefaultLaunchdLabel = "com.llmspell.kernel";
    public const string DefaultServiceUser = "llmspell";

    /// <summary>Absolute path of the running binary (<see cref="Environment.ProcessPath"/>).</summary>
    public required string ExecutablePath { get; init; }

    /// <summary>The app dll; needed only when <see cref="ExecutablePath"/> is the dotnet host.</summary>
    public string? EntryAssemblyPath { get; init; }

    /// <summary>Unit name (systemd) or label (launchd); null picks the manager's default.</summary>
    public string? Name { get; init; }

    public bool System { get; init; }

    public ServiceManagerKind ServiceType { get; init; } = ServiceManagerKind.Auto;

    public int Port { get; init; } = ServiceDefaults.HttpPort;

    /// <summary>Defaults to <see cref="ServicePaths.LogFile"/>.</summary>
    public string? LogFile { get; init; }

    /// <summary>Defaults to <see cref="ServicePaths.PidFile"/>.</summary>
    public string? PidFile { get; init; }

    public string? ConfigFile { get; init; }

    public string? KernelId { get; init; }

    /// <summary>Where defaults come from; null uses the system or per-user defaults matching <see cref="System"/>.</summary>
    public ServicePaths? Paths { get; init; }

    /// <summary>systemd Type=notify (foreground process, sd_notify) instead of Type=forking with --daemon.</summary>
    public bool NotifyType { get; init; }

    /// <summary>Account for system services; used only if it exists on this machine.</summary>
    public string ServiceUser { get; init; } = DefaultServiceUser;

    /// <summary>Also write /etc/logrotate.d/NAME for system systemd services.</summary>
    public bool InstallLogrotate { get; init; } = true;

    public bool Enable { get; init; }

    public bool Start { get; init; }

    public bool Force { get; init; }

    public bool DryRun { get; init; }
}
