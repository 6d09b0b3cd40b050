namespace LlmSpell.Lua;

/// <summary>Limits and sandbox settings for one persistent Lua state.</summary>
public sealed record LuaSessionOptions
{
    /// <summary>Maximum bytes the Lua allocator may hold; 0 = unlimited.</summary>
    public long MemoryLimitBytes { get; init; } = DefaultMemoryLimitBytes;

    public const long DefaultMemoryLimitBytes = 512L * 1024 * 1024;

    /// <summary>Maximum VM instructions per execution; 0 = unlimited.</summary>
    public long InstructionLimit { get; init; }

    /// <summary>When false (default) os.execute, io.popen, package.loadlib, debug, native C modules are removed.</summary>
    public bool AllowUnsafe { get; init; }

    /// <summary>Directory the sandboxed io/os file functions are confined to; null = current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The environment variables os.getenv may read in the sandbox (any other reads as unset). A name that looks
    /// like a secret (KEY, TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL) is never readable, even listed or unsafe.
    /// </summary>
    public IReadOnlyList<string> EnvironmentAllowList { get; init; } = DefaultEnvironmentAllowList;

    public static IReadOnlyList<string> DefaultEnvironmentAllowList { get; } =
        ["LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "USER", "LOGNAME", "TERM"];

    /// <summary>The error name an interrupted execution reports (the host's word for it, e.g. its protocol's).</summary>
    public string InterruptErrorName { get; init; } = "Interrupted";

    /// <summary>
    /// How to lift a sandbox refusal, appended in parentheses to its message (a disabled function, a path outside
    /// the working directory); empty = no hint.
    /// </summary>
    public string UnsafeFunctionHint { get; init; } = "enable unsafe mode to allow it";

    /// <summary>Creates the host library each new session loads after the prelude (null = plain Lua).</summary>
    public Func<ILuaHostLibrary>? HostLibrary { get; init; }

    /// <summary>The hint as the end of a refusal message: " (hint)", or "" without one.</summary>
    internal string RefusalSuffix => string.IsNullOrEmpty(UnsafeFunctionHint) ? "" : $" ({UnsafeFunctionHint})";
}
