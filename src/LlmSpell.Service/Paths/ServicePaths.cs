namespace LlmSpell.Service.Paths;

/// <summary>Default file locations for a system (root) or per-user kernel service.</summary>
public sealed record ServicePaths
{
    public const string AppName = "llmspell";

    public required bool IsSystem { get; init; }

    public required string ConfigFile { get; init; }

    /// <summary>Working directory and persistent state (connection file lives here).</summary>
    public required string StateDir { get; init; }

    public required string DataDir { get; init; }

    public required string LogDir { get; init; }

    public required string LogFile { get; init; }

    public required string RuntimeDir { get; init; }

    public required string PidFile { get; init; }

    public required string ConnectionFile { get; init; }

    /// <summary>Where <see cref="Registry.ServiceRegistry"/> keeps one record per running service.</summary>
    public string ServicesDir => Path.Combine(RuntimeDir, "services");

    /// <summary>System paths when running as root, otherwise per-user paths.</summary>
    public static ServicePaths Default => For(ServiceEnvironment.Current());

    public static ServicePaths ForSystem() => ForSystem(ServiceEnvironment.Current());

    public static ServicePaths ForCurrentUser() => ForUser(ServiceEnvironment.Current());

    public static ServicePaths For(ServiceEnvironment environment)
    {
        var paths = environment.IsRoot ? ForSystem(environment) : ForUser(environment);
        if (string.IsNullOrEmpty(environment.RuntimeDirOverride) || !Path.IsPathRooted(environment.RuntimeDirOverride)) return paths;
        var runtime = environment.RuntimeDirOverride;
        return paths with { RuntimeDir = runtime, PidFile = Path.Combine(runtime, "kernel.pid") };
    }

    public static ServicePaths ForSystem(ServiceEnvironment environment)
    {
        // The guide keeps macOS system files under the Homebrew-style /usr/local prefix.
        var prefix = environment.IsMacOS ? "/usr/local" : string.Empty;
        var etc = environment.IsMacOS ? "/usr/local/etc" : "/etc";
        var state = $"{prefix}/var/lib/{AppName}";
        var log = $"{prefix}/var/log/{AppName}";
        var run = $"{prefix}/var/run/{AppName}";
        return new ServicePaths
        {
            IsSystem = true,
            ConfigFile = $"{etc}/{AppName}/kernel.toml",
            StateDir = state,
            DataDir = state,
            LogDir = log,
            LogFile = $"{log}/kernel.log",
            RuntimeDir = run,
            PidFile = $"{run}/kernel.pid",
            ConnectionFile = $"{state}/kernel.json",
        };
    }

    public static ServicePaths ForUser(ServiceEnvironment environment)
    {
        var home = environment.Home ?? TmpFallback(environment);
        var config = XdgOr(environment.XdgConfigHome, home, ".config");
        var state = Path.Combine(XdgOr(environment.XdgStateHome, home, ".local/state"), AppName);
        var data = Path.Combine(XdgOr(environment.XdgDataHome, home, ".local/share"), AppName);
        var runtime = UserRuntimeDir(environment, state);
        return new ServicePaths
        {
            IsSystem = false,
            ConfigFile = Path.Combine(config, AppName, "kernel.toml"),
            StateDir = state,
            DataDir = data,
            LogDir = state,
            LogFile = Path.Combine(state, "kernel.log"),
            RuntimeDir = runtime,
            PidFile = Path.Combine(runtime, "kernel.pid"),
            ConnectionFile = Path.Combine(state, "kernel.json"),
        };
    }

    /// <summary>
    /// Creates <see cref="RuntimeDir"/> (mode 0700 for per-user dirs, 0755 for the system one so
    /// other users can read the PID file) and refuses a symlinked shared-/tmp fallback.
    /// </summary>
    public void EnsureRuntimeDir()
    {
        var info = new DirectoryInfo(RuntimeDir);
        if (info.Exists && info.LinkTarget is not null && RuntimeDir.StartsWith("/tmp/", StringComparison.Ordinal))
        {
            throw new ServiceStartException(
                $"Refusing to use runtime directory {RuntimeDir}: it is a symbolic link (possible symlink attack); remove it and retry.");
        }

        var mode = IsSystem
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
              | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (!info.Exists)
        {
            Directory.CreateDirectory(RuntimeDir, mode);
            File.SetUnixFileMode(RuntimeDir, mode);
        }
    }

    private static string XdgOr(string? xdgValue, string home, string homeRelative)
    {
        // The XDG spec says relative values are invalid and must be ignored.
        if (!string.IsNullOrEmpty(xdgValue) && Path.IsPathRooted(xdgValue))
        {
            return xdgValue;
        }

        return Path.Combine(home, homeRelative);
    }

    private static string UserRuntimeDir(ServiceEnvironment environment, string stateDir)
    {
        if (!string.IsNullOrEmpty(environment.XdgRuntimeDir) && Path.IsPathRooted(environment.XdgRuntimeDir))
        {
            return Path.Combine(environment.XdgRuntimeDir, AppName);
        }

        return environment.Home is null ? TmpFallback(environment) : Path.Combine(stateDir, "run");
    }

    private static string TmpFallback(ServiceEnvironment environment) => $"/tmp/{AppName}-{environment.EffectiveUserId}";
}
