using System.Text;
using LlmSpell.Service.Paths;

namespace LlmSpell.Service.Install;

/// <summary>Builds the llmspell-kernel systemd unit described in the deployment guide, with extra hardening.</summary>
public static class SystemdUnitGenerator
{
    public const string KillBinary = "/bin/kill";
    public const string MkdirBinary = "/bin/mkdir";

    /// <param name="accounts">Decides User=/Group= for system units; defaults to the real account database.</param>
    /// <param name="environment">HOME/XDG facts for user-unit defaults; defaults to the current process.</param>
    public static string Generate(
        ServiceInstallOptions options, IServiceAccountLookup? accounts = null, ServiceEnvironment? environment = null)
    {
        var service = ServiceDefinition.From(options, ServiceManagerKind.Systemd, environment);
        var group = service.IsSystem ? (accounts ?? new SystemAccountLookup()).PrimaryGroupOf(options.ServiceUser) : null;
        var unit = new StringBuilder();
        unit.AppendLine("[Unit]");
        unit.AppendLine("Description=LLMSpell Kernel Service");
        unit.AppendLine("After=network.target");
        unit.AppendLine();
        unit.AppendLine("[Service]");
        AppendProcess(unit, service);
        if (group is not null)
        {
            unit.AppendLine($"User={options.ServiceUser}");
            unit.AppendLine($"Group={group}");
        }

        AppendManagedDirectories(unit, service);
        unit.AppendLine();
        if (service.IsSystem)
        {
            AppendSystemHardening(unit, service);
        }
        else
        {
            AppendUserHardening(unit);
        }

        unit.AppendLine();
        AppendLimits(unit, service);
        unit.AppendLine();
        unit.AppendLine("[Install]");
        unit.AppendLine(service.IsSystem ? "WantedBy=multi-user.target" : "WantedBy=default.target");
        return unit.ToString();
    }

    /// <summary>Where the unit goes: /etc/systemd/system/NAME.service or ~/.config/systemd/user/NAME.service.</summary>
    public static string UnitPath(ServiceInstallOptions options, InstallLocations locations)
    {
        var name = ServiceNames.Normalize(options.Name, ServiceManagerKind.Systemd);
        var directory = options.System ? locations.SystemdSystemDir : locations.SystemdUserDir;
        return Path.Combine(directory, name + ".service");
    }

    private static void AppendProcess(StringBuilder unit, ServiceDefinition service)
    {
        var command = service.Command.ToArgv();
        if (service.NotifyType)
        {
            unit.AppendLine("Type=notify");
            unit.AppendLine("NotifyAccess=main");
            unit.AppendLine($"ExecStart={SystemdSyntax.ExecLine([.. command, .. service.StartArguments()])}");
        }
        else
        {
            var start = service.StartArguments();
            unit.AppendLine("Type=forking");
            unit.AppendLine($"ExecStart={SystemdSyntax.ExecLine([.. command, .. start.Take(2), "--daemon", .. start.Skip(2)])}");
            unit.AppendLine($"ExecStop={SystemdSyntax.ExecLine([.. command, "kernel", "stop", "--pid-file", service.PidFile])}");
            unit.AppendLine($"PIDFile={SystemdSyntax.Specifiers(service.PidFile)}");
        }

        unit.AppendLine($"ExecReload={KillBinary} -HUP $MAINPID");
        unit.AppendLine("Restart=on-failure");
        unit.AppendLine("RestartSec=10");

        // The --daemon launcher itself gives up after 30 s; leave systemd some slack beyond that.
        unit.AppendLine("TimeoutStartSec=45");
        var environmentFile = service.IsSystem
            ? $"/etc/default/{service.Name}"
            : $"%h/.config/llmspell/{service.Name}.env";
        unit.AppendLine($"EnvironmentFile=-{environmentFile}");
    }

    /// <summary>
    /// Lets systemd create (and chown to User=) the directories it manages, so the PID directory exists
    /// again after a reboot wipes /run.
    /// </summary>
    private static void AppendManagedDirectories(StringBuilder unit, ServiceDefinition service)
    {
        var managed = ManagedDirectories(service);
        foreach (var (setting, relative, mode) in managed)
        {
            unit.AppendLine($"{setting}={SystemdSyntax.PathListEntry(relative)}");
            if (mode is not null)
            {
                unit.AppendLine($"{setting}Mode={mode}");
            }
        }

        if (!service.IsSystem && managed.Count == 0)
        {
            // Without XDG_RUNTIME_DIR the PID directory lives under the home and may not exist yet.
            unit.AppendLine($"ExecStartPre={SystemdSyntax.ExecLine([MkdirBinary, "-p", service.PidDir])}");
        }

        if (service.IsSystem && managed.Any(m => m.Setting == "StateDirectory"))
        {
            unit.AppendLine($"WorkingDirectory={SystemdSyntax.Specifiers(service.Paths.StateDir)}");
        }
    }

    private static List<(string Setting, string Relative, string? Mode)> ManagedDirectories(ServiceDefinition service)
    {
        var result = new List<(string, string, string?)>();
        void Add(string setting, string directory, IEnumerable<string> roots, string? mode)
        {
            foreach (var root in roots)
            {
                var relative = Path.GetRelativePath(root, directory);
                if (relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)
                    && result.All(r => r.Item1 != setting || r.Item2 != relative))
                {
                    result.Add((setting, relative, mode));
                    return;
                }
            }
        }

        if (service.IsSystem)
        {
            Add("RuntimeDirectory", service.PidDir, ["/run", "/var/run"], "0755");
            Add("StateDirectory", service.Paths.StateDir, ["/var/lib"], "0750");
            Add("LogsDirectory", service.LogDir, ["/var/log"], "0750");
        }
        else if (service.Environment.XdgRuntimeDir is { Length: > 0 } xdgRuntime && Path.IsPathRooted(xdgRuntime))
        {
            Add("RuntimeDirectory", service.PidDir, [xdgRuntime], null);
        }

        return result;
    }

    private static void AppendSystemHardening(StringBuilder unit, ServiceDefinition service)
    {
        unit.AppendLine("# Security hardening");
        unit.AppendLine("PrivateTmp=yes");
        unit.AppendLine("NoNewPrivileges=yes");
        unit.AppendLine("ProtectSystem=strict");
        unit.AppendLine("ProtectHome=read-only");
        var writable = new[] { service.LogDir, service.PidDir, service.Paths.StateDir }
            .Distinct(StringComparer.Ordinal)
            .Select(d => SystemdSyntax.PathListEntry(d, "-"));
        unit.AppendLine($"ReadWritePaths={string.Join(' ', writable)}");
        unit.AppendLine("PrivateDevices=yes");
        unit.AppendLine("PrivateMounts=yes");
        unit.AppendLine("ProtectHostname=yes");
        unit.AppendLine("ProtectClock=yes");
        unit.AppendLine("ProtectKernelTunables=yes");
        unit.AppendLine("ProtectKernelModules=yes");
        unit.AppendLine("ProtectKernelLogs=yes");
        unit.AppendLine("ProtectControlGroups=yes");
        unit.AppendLine("ProtectProc=invisible");
        unit.AppendLine("RestrictNamespaces=yes");
        unit.AppendLine("RestrictRealtime=yes");
        unit.AppendLine("RestrictSUIDSGID=yes");
        unit.AppendLine("LockPersonality=yes");
        unit.AppendLine("RemoveIPC=yes");
        unit.AppendLine("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6");
        unit.AppendLine("SystemCallArchitectures=native");
        unit.AppendLine("SystemCallFilter=@system-service");
        unit.AppendLine("SystemCallFilter=~@privileged");

        // Fail a filtered call with EPERM instead of killing: the runtime probes optional syscalls.
        unit.AppendLine("SystemCallErrorNumber=EPERM");
        unit.AppendLine("CapabilityBoundingSet=");
        unit.AppendLine("AmbientCapabilities=");
        unit.AppendLine("UMask=0077");
        unit.AppendLine("# MemoryDenyWriteExecute= stays off: the .NET JIT needs writable+executable memory.");
        unit.AppendLine("# ~@resources and ProcSubset=pid stay off: the GC sets thread affinity and reads /proc/meminfo.");
    }

    /// <summary>
    /// User managers cannot build mount namespaces without unprivileged user namespaces, and a user
    /// kernel is meant to reach the home directory, so only process-level restrictions apply.
    /// </summary>
    private static void AppendUserHardening(StringBuilder unit)
    {
        unit.AppendLine("# Security hardening");
        unit.AppendLine("NoNewPrivileges=yes");
    }

    private static void AppendLimits(StringBuilder unit, ServiceDefinition service)
    {
        unit.AppendLine("# Resource limits");
        unit.AppendLine("LimitNOFILE=65536");

        // RLIMIT_NPROC counts every thread of the owning user, far too tight for a desktop session.
        if (service.IsSystem)
        {
            unit.AppendLine("LimitNPROC=512");
        }

        unit.AppendLine("MemoryMax=2G");
        unit.AppendLine("CPUQuota=200%");
    }
}
