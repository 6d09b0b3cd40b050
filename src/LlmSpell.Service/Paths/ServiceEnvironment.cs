using LlmSpell.Service.Native;

namespace LlmSpell.Service.Paths;

/// <summary>The process facts that decide default locations; injectable so tests need no real HOME or root.</summary>
public sealed record ServiceEnvironment
{
    public required string? Home { get; init; }

    public required uint EffectiveUserId { get; init; }

    public string? XdgConfigHome { get; init; }

    public string? XdgStateHome { get; init; }

    public string? XdgDataHome { get; init; }

    public string? XdgRuntimeDir { get; init; }

    public bool IsMacOS { get; init; }

    /// <summary>LLMSPELL_RUNTIME_DIR: where PID, registry and token files go, overriding the defaults (tests, several instances).</summary>
    public string? RuntimeDirOverride { get; init; }

    public bool IsRoot => EffectiveUserId == 0;

    public static ServiceEnvironment Current()
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return new ServiceEnvironment
        {
            Home = string.IsNullOrEmpty(home) ? null : home,
            EffectiveUserId = CurrentEffectiveUserId(),
            XdgConfigHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME"),
            XdgStateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME"),
            XdgDataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME"),
            XdgRuntimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
            IsMacOS = OperatingSystem.IsMacOS(),
            RuntimeDirOverride = Environment.GetEnvironmentVariable("LLMSPELL_RUNTIME_DIR"),
        };
    }

    internal static uint CurrentEffectiveUserId() => OperatingSystem.IsWindows() ? 1000u : Libc.geteuid();
}
