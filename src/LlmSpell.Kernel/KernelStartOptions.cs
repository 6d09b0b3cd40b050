using LlmSpell.Lua;

namespace LlmSpell.Kernel;

/// <summary>Everything needed to start one Jupyter kernel. Port 0 asks the OS for a free port.</summary>
public sealed record KernelStartOptions
{
    public required string Id { get; init; }

    /// <summary>Who asked for this kernel (a gateway client's KERNEL_USERNAME), for logs; null = the service's own.</summary>
    public string? Username { get; init; }
    public string Ip { get; init; } = "127.0.0.1";
    public int ShellPort { get; init; }
    public int IopubPort { get; init; }
    public int StdinPort { get; init; }
    public int ControlPort { get; init; }
    public int HbPort { get; init; }

    /// <summary>HMAC-SHA256 key; empty disables signing (not recommended).</summary>
    public string Key { get; init; } = "";

    /// <summary>Where to write the connection file (mode 0600); null = do not write one.</summary>
    public string? ConnectionFilePath { get; init; }

    /// <summary>When true and ConnectionFilePath exists, ports/ip/key are read from it (Jupyter launched us).</summary>
    public bool UseExistingConnectionFile { get; init; }

    /// <summary>Per-execution timeout; zero = none. Behaves like an interrupt.</summary>
    public TimeSpan ExecutionTimeout { get; init; }

    /// <summary>Limits and sandbox settings of the kernel's Lua state (also used for every restart).</summary>
    public LuaSessionOptions Lua { get; init; } = new();

    /// <summary>
    /// ZeroMQ identities starting with these bytes are not counted in <see cref="JupyterKernel.ConnectedClients"/>:
    /// they belong to an in-process bridge (the websocket gateway) that counts its own connections.
    /// </summary>
    public byte[]? UncountedClientPrefix { get; init; }

    /// <summary>Largest accepted ZeroMQ message; 0 = unlimited.</summary>
    public long MaxMessageSizeBytes { get; init; }
}
