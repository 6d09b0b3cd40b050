using System.Security.Cryptography;
using LlmSpell.Server.Config;
using LlmSpell.Service.Paths;

namespace LlmSpell.Server;

/// <summary>Facts fixed when the service starts: its id, directories, files and secret.</summary>
public sealed class ServiceRuntime
{
    public required string ServiceId { get; init; }

    /// <summary>
    /// The default kernel's id: a UUID, as Jupyter Server's routes require (they match only UUID-shaped kernel ids).
    /// A configured kernel.id that is a UUID is used as is; any other configured id names only the service.
    /// </summary>
    public string DefaultKernelId { get; init; } = NewKernelId();

    /// <summary>In cluster mode, the tag every kernel id of this instance starts with (see Cluster.OwnerTags); else null.</summary>
    public uint? OwnerTag { get; init; }

    /// <summary>This instance's name in a cluster ([cluster] instance_id, else the host name).</summary>
    public string InstanceId { get; init; } = Environment.MachineName;

    /// <summary>A new kernel id: a random UUID, or in cluster mode one that names this instance as its owner.</summary>
    public string NextKernelId() => OwnerTag is { } tag ? LlmSpell.Cluster.OwnerTags.NewKernelId(tag) : NewKernelId();
    public required string RuntimeDirectory { get; init; }
    public required string DefaultConnectionFile { get; init; }
    public string? PidFile { get; init; }
    public string? LogFile { get; init; }
    public string? WorkingDirectory { get; init; }

    /// <summary>Signs the Jupyter channels and authorises the REST API. Never logged or returned.</summary>
    public required string Key { get; init; }
    public bool KeyWasGenerated { get; init; }
    public int Pid { get; } = Environment.ProcessId;
    public static string Version { get; } = typeof(ServiceRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Why the service could not finish starting (it then stops itself); null when it started.</summary>
    public string? StartupFailure { get; set; }

    /// <summary>Set once Kestrel has bound (port 0 resolves to the real one).</summary>
    public string? HttpUrl { get; set; }

    public static ServiceRuntime Resolve(LlmSpellOptions options, ConfigSources sources)
    {
        var id = options.Kernel.Id ?? NewId();
        var runtimeDir = DefaultRuntimeDirectory();
        var (key, generated) = ResolveKey(options, sources);
        var instance = string.IsNullOrEmpty(options.Cluster.InstanceId) ? Environment.MachineName : options.Cluster.InstanceId;
        uint? tag = options.Cluster.Enabled ? LlmSpell.Cluster.OwnerTags.Of(instance) : null;
        return new ServiceRuntime
        {
            InstanceId = instance,
            OwnerTag = tag,
            ServiceId = id,
            DefaultKernelId = Guid.TryParse(id, out var uuid) && tag is null ? uuid.ToString()
                : tag is { } t ? LlmSpell.Cluster.OwnerTags.NewKernelId(t) : NewKernelId(),
            RuntimeDirectory = runtimeDir,
            DefaultConnectionFile = options.Kernel.ConnectionFile ?? Path.Combine(runtimeDir, $"kernel-{id}.json"),
            PidFile = options.Daemon.PidFile ?? (options.Daemon.Daemonize ? DefaultPidFile() : null),
            LogFile = options.Logging.LogFile ?? (options.Daemon.Daemonize ? DefaultLogFile() : null),
            WorkingDirectory = options.Daemon.WorkingDir,
            Key = key,
            KeyWasGenerated = generated,
        };
    }

    /// <summary>A service id: 8 hex digits, short enough to type.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>A kernel id: a random UUID (lower case, with hyphens), as Jupyter's kernel ids.</summary>
    public static string NewKernelId() => Guid.NewGuid().ToString();

    /// <summary>The configured key (see <see cref="Security.ServiceKey"/>), else a fresh random key for this start.</summary>
    private static (string Key, bool Generated) ResolveKey(LlmSpellOptions options, ConfigSources sources) =>
        Security.ServiceKey.Resolve(options, sources.GetEnvironment) is { } configured
            ? (configured.Key, false)
            : (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), true);

    private static ServicePaths Paths => ServicePaths.Default;

    public static string DefaultRuntimeDirectory() => Paths.RuntimeDir;

    public static string DefaultPidFile() => Paths.PidFile;

    public static string DefaultLogFile() => Paths.LogFile;
}
