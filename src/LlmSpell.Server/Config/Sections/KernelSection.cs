using System.Net;
using System.Text.RegularExpressions;

namespace LlmSpell.Server.Config;

/// <summary>[kernel]: the control plane's address and the limits of each kernel.</summary>
public sealed partial class KernelSection
{
    /// <summary>HTTP control plane port; the Jupyter channels use port+1..port+5 unless 0.</summary>
    public int Port { get; set; } = LlmSpell.Service.ServiceDefaults.HttpPort;
    public string Ip { get; set; } = "127.0.0.1";
    public string? ConnectionFile { get; set; }
    /// <summary>Seconds without client activity before the service stops; 0 = never.</summary>
    public int IdleTimeout { get; set; }
    public string? Id { get; set; }
    /// <summary>Seconds one execution may run before it is interrupted; 0 = no limit.</summary>
    public int ExecutionTimeout { get; set; }
    public int MemoryLimitMb { get; set; } = (int)(LlmSpell.Lua.LuaSessionOptions.DefaultMemoryLimitBytes / (1024 * 1024));
    /// <summary>Lua VM instructions one execution may run before it is stopped; 0 = no limit.</summary>
    public long InstructionLimit { get; set; }

    private static readonly SectionKeys<KernelSection> K = new("kernel", o => o.Kernel);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Int("port", s => s.Port, (s, v) => s.Port = v,
            check: v => v is < 0 or > 65535 ? $"must be between 1 and 65535 (or 0 for any free port), found {v}"
                : v > Kernels.ChannelPorts.HighestHttpPort ? $"must leave room for the five Jupyter channel ports above it (at most {Kernels.ChannelPorts.HighestHttpPort}), found {v}" : null,
            flag: new("--port", "HTTP port; the Jupyter channels use port+1..port+5 (0 = any free ports)", Alias: "-p")),
        K.Str("ip", s => s.Ip, (s, v) => s.Ip = v!,
            check: v => IsValidBindAddress(v) ? null : $"must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0, or localhost; found \"{v}\"",
            flag: new("--ip", "Address to bind")),
        K.Str("connection_file", s => s.ConnectionFile, (s, v) => s.ConnectionFile = v,
            flag: new("--connection-file", "Jupyter connection file: ports and key are read from it if it exists (as Jupyter launchers expect), else it is written", Alias: "-f", IsPath: true)),
        K.Int("idle_timeout", s => s.IdleTimeout, (s, v) => s.IdleTimeout = v, reload: ReloadEffect.Live,
            check: v => v < 0 ? $"must be 0 (never) or a number of seconds, found {v}" : null),
        K.Str("id", s => s.Id, (s, v) => s.Id = v,
            check: v => IdPattern().IsMatch(v) ? null : $"must be 1-64 letters, digits, '.', '_' or '-', found \"{v}\"",
            flag: new("--id", "Service and default kernel id", DefaultText: "random")),
        K.Int("execution_timeout", s => s.ExecutionTimeout, (s, v) => s.ExecutionTimeout = v, reload: ReloadEffect.NewKernels,
            check: v => v < 0 ? $"must be 0 (no limit) or a number of seconds, found {v}" : null),
        K.Int("memory_limit_mb", s => s.MemoryLimitMb, (s, v) => s.MemoryLimitMb = v, reload: ReloadEffect.NewKernels,
            check: v => v < 0 ? $"must be 0 (no limit) or a number of megabytes, found {v}" : null),
        K.Long("instruction_limit", s => s.InstructionLimit, (s, v) => s.InstructionLimit = v, reload: ReloadEffect.NewKernels,
            check: v => v < 0 ? $"must be 0 (no limit) or a number of Lua instructions, found {v}" : null),
    ];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    private static bool IsValidBindAddress(string ip) => ip == "localhost" || ip == "*" || IPAddress.TryParse(ip, out _);
}
