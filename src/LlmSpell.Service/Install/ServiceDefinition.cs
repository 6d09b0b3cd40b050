using LlmSpell.Service.Paths;
using LlmSpell.Service.Processes;

namespace LlmSpell.Service.Install;

/// <summary>Install options with every default filled in, shared by the generators.</summary>
internal sealed record ServiceDefinition
{
    public required string Name { get; init; }

    public required bool IsSystem { get; init; }

    public required HostCommand Command { get; init; }

    public required int Port { get; init; }

    public required string LogFile { get; init; }

    public required string PidFile { get; init; }

    public string? ConfigFile { get; init; }

    public string? KernelId { get; init; }

    public required ServicePaths Paths { get; init; }

    public required bool NotifyType { get; init; }

    public required ServiceEnvironment Environment { get; init; }

    public string LogDir => Path.GetDirectoryName(LogFile)!;

    public string PidDir => Path.GetDirectoryName(PidFile)!;

    public static ServiceDefinition From(ServiceInstallOptions options, ServiceManagerKind kind, ServiceEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 1 or > 65535)
        {
            throw new ServiceInstallException($"Invalid --port {options.Port}: must be between 1 and 65535");
        }

        var env = (environment ?? ServiceEnvironment.Current()) with { IsMacOS = kind == ServiceManagerKind.Launchd };
        var paths = options.Paths ?? (options.System ? ServicePaths.ForSystem(env) : ServicePaths.ForUser(env));
        return new ServiceDefinition
        {
            Name = ServiceNames.Normalize(options.Name, kind),
            IsSystem = options.System,
            Command = HostCommand.Resolve(options.ExecutablePath, options.EntryAssemblyPath),
            Port = options.Port,
            LogFile = Path.GetFullPath(options.LogFile ?? paths.LogFile),
            PidFile = Path.GetFullPath(options.PidFile ?? paths.PidFile),
            ConfigFile = options.ConfigFile is null ? null : Path.GetFullPath(options.ConfigFile),
            KernelId = options.KernelId,
            Paths = paths,
            NotifyType = options.NotifyType,
            Environment = env,
        };
    }

    /// <summary>`kernel start` arguments shared by systemd and launchd (without --daemon).</summary>
    public IReadOnlyList<string> StartArguments(bool includePidFile = true)
    {
        var args = new List<string> { "kernel", "start", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log-file", LogFile };
        if (includePidFile)
        {
            args.AddRange(["--pid-file", PidFile]);
        }

        if (ConfigFile is not null)
        {
            args.AddRange(["--config", ConfigFile]);
        }

        if (KernelId is not null)
        {
            args.AddRange(["--id", KernelId]);
        }

        return args;
    }
}
