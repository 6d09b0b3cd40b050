using System.CommandLine;
using LlmSpell.Service.Install;

namespace LlmSpell.Cli.Commands;

/// <summary>`kernel install-service` / `kernel uninstall-service`: systemd units or launchd plists (plus logrotate).</summary>
public static class InstallServiceCommand
{
    private sealed record Options(
        Option<ServiceManagerKind> ServiceType, Option<bool> System, Option<string?> Name, Option<int> Port, Option<string?> Id,
        Option<string?> Config, Option<string?> LogFile, Option<string?> PidFile, Option<bool> Notify, Option<string> User,
        Option<bool> DryRun);

    private static Options CreateOptions() => new(
        new Option<ServiceManagerKind>("--service-type") { Description = "auto (systemd on Linux, launchd on macOS), systemd or launchd", DefaultValueFactory = _ => ServiceManagerKind.Auto },
        new Option<bool>("--system") { Description = "System service (root, starts at boot) instead of a user service" },
        new Option<string?>("--name") { Description = "Unit name or launchd label (default llmspell-kernel / com.llmspell.kernel)" },
        new Option<int>("--port", "-p") { Description = "HTTP port of the service", DefaultValueFactory = _ => LlmSpell.Service.ServiceDefaults.HttpPort },
        new Option<string?>("--id") { Description = "Service and default kernel id" },
        new Option<string?>("--config", "-c") { Description = "Configuration file passed to the service" },
        new Option<string?>("--log-file") { Description = "Log file (default /var/log/llmspell/kernel.log, or ~/.local/state/llmspell/kernel.log)" },
        new Option<string?>("--pid-file") { Description = "PID file (default /var/run/llmspell/kernel.pid, or under $XDG_RUNTIME_DIR)" },
        new Option<bool>("--notify") { Description = "systemd Type=notify (foreground, sd_notify readiness) instead of the default Type=forking" },
        new Option<string>("--user") { Description = "Service user for system units (used when it exists)", DefaultValueFactory = _ => ServiceInstallOptions.DefaultServiceUser },
        new Option<bool>("--dry-run") { Description = "Print the files that would be written, write nothing" });

    public static Command CreateInstall()
    {
        var o = CreateOptions();
        var enable = new Option<bool>("--enable") { Description = "Enable the service (systemctl enable / launchctl load -w)" };
        var start = new Option<bool>("--start") { Description = "Start the service now" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing service files" };
        var logrotate = new Option<bool>("--logrotate") { Description = "Also write /etc/logrotate.d/NAME (system services)" };
        var command = new Command("install-service", "Install LLMSpell as a systemd (Linux) or launchd (macOS) service");
        Add(command, o);
        command.Options.Add(enable);
        command.Options.Add(start);
        command.Options.Add(force);
        command.Options.Add(logrotate);
        command.SetAction(parse =>
        {
            var options = Build(parse, o);
            RefuseExposedSecret(options);
            options = options with
            {
                Enable = parse.GetValue(enable),
                Start = parse.GetValue(start),
                Force = parse.GetValue(force),
                InstallLogrotate = parse.GetValue(logrotate),
            };
            return Run(parse, () => new ServiceInstaller().Install(options), options.DryRun, uninstall: false);
        });
        return command;
    }

    public static Command CreateUninstall()
    {
        var o = CreateOptions();
        var command = new Command("uninstall-service", "Stop, disable and remove the service files written by install-service");
        Add(command, o);
        command.SetAction(parse =>
        {
            var options = Build(parse, o) with { InstallLogrotate = true };
            return Run(parse, () => new ServiceInstaller().Uninstall(options), options.DryRun, uninstall: true);
        });
        return command;
    }

    private static void Add(Command command, Options o)
    {
        foreach (var option in new Option[] { o.ServiceType, o.System, o.Name, o.Port, o.Id, o.Config, o.LogFile, o.PidFile, o.Notify, o.User, o.DryRun })
            command.Options.Add(option);
    }

    private static ServiceInstallOptions Build(ParseResult parse, Options o) => new()
    {
        ExecutablePath = Environment.ProcessPath ?? throw new UserFacingException("the path of the running executable is unknown"),
        EntryAssemblyPath = LlmSpell.Service.Processes.HostCommand.EntryAssemblyPath(),
        ServiceType = parse.GetValue(o.ServiceType),
        System = parse.GetValue(o.System),
        Name = parse.GetValue(o.Name),
        Port = parse.GetValue(o.Port),
        KernelId = parse.GetValue(o.Id),
        ConfigFile = Absolute(parse.GetValue(o.Config)),
        LogFile = Absolute(parse.GetValue(o.LogFile)),
        PidFile = Absolute(parse.GetValue(o.PidFile)),
        NotifyType = parse.GetValue(o.Notify),
        ServiceUser = parse.GetValue(o.User)!,
        DryRun = parse.GetValue(o.DryRun),
    };

    /// <summary>A system service must not read its secret from a file other users can read.</summary>
    private static void RefuseExposedSecret(ServiceInstallOptions options)
    {
        if (!options.System || options.ConfigFile is not { } file) return;
        LlmSpell.Server.Config.LlmSpellOptions config;
        try
        {
            config = LlmSpell.Server.Config.ConfigLoader.Load(new LlmSpell.Server.Config.ConfigSources { ConfigPath = file }).Options;
        }
        catch (LlmSpell.Server.Config.ConfigException e)
        {
            throw new UserFacingException($"--config {file} is invalid:{Environment.NewLine}" + string.Join(Environment.NewLine, e.Problems.Select(p => "  " + p)), ExitCodes.InvalidConfiguration);
        }
        if (LlmSpell.Server.Security.SecurityChecks.ConfigFileExposesSecret(file, config) is { } problem)
            throw new UserFacingException($"refusing to install a system service: {problem}", ExitCodes.InvalidConfiguration);
    }

    private static string? Absolute(string? path) => path is null ? null : Path.GetFullPath(path);

    private static int Run(ParseResult parse, Func<ServiceInstallResult> action, bool dryRun, bool uninstall)
    {
        var output = parse.InvocationConfiguration.Output;
        ServiceInstallResult result;
        try
        {
            result = action();
        }
        catch (ServiceInstallException e)
        {
            throw new UserFacingException(e.Message, ExitCodes.Failure);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UserFacingException($"Permission denied: {e.Message} (system services need root: sudo llmspell kernel install-service --system ...)");
        }

        if (dryRun)
        {
            foreach (var file in result.Files)
            {
                output.WriteLine($"==> {file.Path}{(uninstall ? " (would be removed)" : "")} <==");
                if (!uninstall) output.WriteLine(file.Content);
            }
            return ExitCodes.Ok;
        }
        foreach (var file in result.Files) output.WriteLine($"{(uninstall ? "Removed" : "Wrote")} {file.Path}");
        foreach (var command in result.Commands) output.WriteLine($"Ran: {command}");
        foreach (var warning in result.Warnings) parse.InvocationConfiguration.Error.WriteLine($"warning: {warning}");
        if (!uninstall && result.Commands.Count == 0)
            output.WriteLine(result.Manager == ServiceManagerKind.Launchd
                ? $"Next: launchctl load -w {result.Files[0].Path}"
                : $"Next: systemctl {(result.Files[0].Path.StartsWith("/etc/", StringComparison.Ordinal) ? "" : "--user ")}daemon-reload && systemctl {(result.Files[0].Path.StartsWith("/etc/", StringComparison.Ordinal) ? "" : "--user ")}enable --now {result.ServiceName}");
        return ExitCodes.Ok;
    }
}
