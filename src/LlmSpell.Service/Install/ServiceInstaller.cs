using LlmSpell.Service.Paths;
using LlmSpell.Service.Processes;

namespace LlmSpell.Service.Install;

/// <summary>Writes/removes systemd or launchd service files and drives systemctl/launchctl.</summary>
public sealed class ServiceInstaller
{
    private const UnixFileMode ServiceFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly IProcessRunner _runner;
    private readonly InstallLocations _locations;
    private readonly IServiceAccountLookup _accounts;
    private readonly ServiceEnvironment _environment;
    private readonly bool? _isMacOS;
    private readonly string _systemdRunDir;

    public ServiceInstaller(
        IProcessRunner? runner = null,
        InstallLocations? locations = null,
        IServiceAccountLookup? accounts = null,
        ServiceEnvironment? environment = null,
        bool? isMacOS = null,
        string systemdRunDir = "/run/systemd/system")
    {
        _environment = environment ?? ServiceEnvironment.Current();
        _runner = runner ?? new SystemProcessRunner();
        _locations = locations ?? InstallLocations.For(_environment);
        _accounts = accounts ?? new SystemAccountLookup();
        _isMacOS = isMacOS;
        _systemdRunDir = systemdRunDir;
    }

    /// <summary>The files <see cref="Install"/> would write, without touching the disk.</summary>
    public ServiceInstallResult Plan(ServiceInstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kind = ServiceManagerDetector.Resolve(options.ServiceType, _runner, _isMacOS, _systemdRunDir);
        var files = new List<GeneratedServiceFile>();
        string name;
        if (kind == ServiceManagerKind.Systemd)
        {
            name = ServiceNames.Normalize(options.Name, kind);
            files.Add(new(
                SystemdUnitGenerator.UnitPath(options, _locations),
                SystemdUnitGenerator.Generate(options, _accounts, _environment)));
            if (options.System && options.InstallLogrotate)
            {
                var service = ServiceDefinition.From(options, kind, _environment);
                var group = _accounts.PrimaryGroupOf(options.ServiceUser);
                var user = group is null ? "root" : options.ServiceUser;
                files.Add(new(
                    LogrotateConfigGenerator.ConfigPath(name, _locations.LogrotateDir),
                    LogrotateConfigGenerator.Generate(service.LogDir, service.PidFile, user, group ?? "root")));
            }
        }
        else
        {
            name = ServiceNames.Normalize(options.Name, kind);
            files.Add(new(
                LaunchdPlistGenerator.PlistPath(options, _locations),
                LaunchdPlistGenerator.Generate(options, _accounts, _environment)));
        }

        return new ServiceInstallResult { Manager = kind, ServiceName = name, Files = files, Applied = false };
    }

    /// <summary>Writes the service files, then optionally enables/starts the service.</summary>
    /// <exception cref="ServiceInstallException">A file exists (without Force), cannot be written, or a tool failed.</exception>
    public ServiceInstallResult Install(ServiceInstallOptions options)
    {
        var plan = Plan(options);
        if (options.DryRun)
        {
            return plan;
        }

        var existing = plan.Files.Where(f => File.Exists(f.Path)).Select(f => f.Path).ToList();
        if (existing.Count > 0 && !options.Force)
        {
            throw new ServiceInstallException(
                $"{string.Join(", ", existing)} already exists; re-run with --force to overwrite it.");
        }

        foreach (var file in plan.Files)
        {
            WriteFile(file);
        }

        var commands = new List<string>();
        if (options.Enable || options.Start)
        {
            var written = string.Join(", ", plan.Files.Select(f => f.Path));
            foreach (var (tool, arguments) in ActivationCommands(plan, options))
            {
                RunRequired(tool, arguments, commands, written);
            }
        }

        return plan with { Applied = true, Commands = commands };
    }

    /// <summary>Stops and disables the service (best effort), then removes its files.</summary>
    public ServiceInstallResult Uninstall(ServiceInstallOptions options)
    {
        var plan = Plan(options);
        var present = plan.Files.Where(f => File.Exists(f.Path)).ToList();
        if (options.DryRun)
        {
            return plan with { Files = present };
        }

        if (present.Count == 0)
        {
            throw new ServiceInstallException(
                $"Nothing to uninstall: {string.Join(", ", plan.Files.Select(f => f.Path))} does not exist.");
        }

        var commands = new List<string>();
        var warnings = new List<string>();
        foreach (var (tool, arguments) in DeactivationCommands(plan, options))
        {
            var result = _runner.Run(tool, arguments);
            if (result.Succeeded)
            {
                commands.Add(Describe(tool, arguments));
            }
            else
            {
                warnings.Add(Failure(tool, arguments, result));
            }
        }

        foreach (var file in present)
        {
            try
            {
                File.Delete(file.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ServiceInstallException($"Cannot remove {file.Path}: {e.Message}");
            }
        }

        if (plan.Manager == ServiceManagerKind.Systemd)
        {
            var reload = SystemctlArgs(options.System, "daemon-reload");
            var result = _runner.Run("systemctl", reload);
            if (result.Succeeded)
            {
                commands.Add(Describe("systemctl", reload));
            }
            else
            {
                warnings.Add(Failure("systemctl", reload, result));
            }
        }

        return plan with { Files = present, Applied = true, Commands = commands, Warnings = warnings };
    }

    private static IEnumerable<(string Tool, string[] Arguments)> ActivationCommands(
        ServiceInstallResult plan, ServiceInstallOptions options)
    {
        if (plan.Manager == ServiceManagerKind.Systemd)
        {
            yield return ("systemctl", SystemctlArgs(options.System, "daemon-reload"));
            if (options.Enable)
            {
                yield return ("systemctl", SystemctlArgs(options.System, "enable", plan.ServiceName));
            }

            if (options.Start)
            {
                yield return ("systemctl", SystemctlArgs(options.System, "start", plan.ServiceName));
            }

            yield break;
        }

        var plist = plan.Files[0].Path;
        yield return ("launchctl", options.Enable ? ["load", "-w", plist] : ["load", plist]);
        if (options.Start)
        {
            yield return ("launchctl", ["start", plan.ServiceName]);
        }
    }

    private static IEnumerable<(string Tool, string[] Arguments)> DeactivationCommands(
        ServiceInstallResult plan, ServiceInstallOptions options)
    {
        if (plan.Manager == ServiceManagerKind.Systemd)
        {
            yield return ("systemctl", SystemctlArgs(options.System, "disable", "--now", plan.ServiceName));
        }
        else
        {
            yield return ("launchctl", ["unload", "-w", plan.Files[0].Path]);
        }
    }

    private void RunRequired(string tool, string[] arguments, List<string> commands, string writtenFiles)
    {
        var result = _runner.Run(tool, arguments);
        commands.Add(Describe(tool, arguments));
        if (result.Succeeded)
        {
            return;
        }

        var manual = Describe(tool, arguments);
        throw new ServiceInstallException(result.ToolFound
            ? $"{Failure(tool, arguments, result)} The service file was written to {writtenFiles}."
            : $"{tool} was not found on PATH, so the service could not be enabled or started. " +
              $"The service file was written to {writtenFiles}; on a host with {tool}, run: {manual}");
    }

    private static string Failure(string tool, string[] arguments, ProcessRunResult result)
    {
        if (!result.ToolFound)
        {
            return $"{tool} was not found on PATH; skipped `{Describe(tool, arguments)}`.";
        }

        var error = result.StandardError.Trim();
        return $"`{Describe(tool, arguments)}` failed with exit code {result.ExitCode}"
               + (error.Length > 0 ? $": {error}." : ".");
    }

    private static string[] SystemctlArgs(bool system, params string[] arguments) =>
        system ? arguments : ["--user", .. arguments];

    private static string Describe(string tool, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { tool }.Concat(arguments));

    private static void WriteFile(GeneratedServiceFile file)
    {
        var directory = Path.GetDirectoryName(file.Path)!;
        var temp = $"{file.Path}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = ServiceFileMode,
            };
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(file.Content);
            }

            // logrotate ignores configs with unexpected modes, whatever the umask was.
            File.SetUnixFileMode(temp, ServiceFileMode);
            File.Move(temp, file.Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            var hint = e is UnauthorizedAccessException ? " (system services need root: re-run with sudo)" : string.Empty;
            throw new ServiceInstallException($"Cannot write {file.Path}: {e.Message}{hint}");
        }
    }
}
