namespace LlmSpell.Service.Install;

/// <summary>A service file with its full text.</summary>
public sealed record GeneratedServiceFile(string Path, string Content);

/// <summary>What <see cref="ServiceInstaller"/> did (or, for a dry run, would do).</summary>
public sealed record ServiceInstallResult
{
    public required ServiceManagerKind Manager { get; init; }

    /// <summary>systemd unit name (without .service) or launchd label.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Files generated (install) or removed (uninstall).</summary>
    public required IReadOnlyList<GeneratedServiceFile> Files { get; init; }

    /// <summary>False for a dry run.</summary>
    public required bool Applied { get; init; }

    /// <summary>Each external command run, e.g. "systemctl --user enable llmspell-kernel".</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Best-effort steps that failed without failing the operation (uninstall only).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
