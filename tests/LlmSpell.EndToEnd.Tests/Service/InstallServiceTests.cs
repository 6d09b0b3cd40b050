using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Service;

/// <summary>
/// `kernel install-service` / `uninstall-service`. systemd cannot run as PID 1 here, so the generated files are
/// validated offline by the real tools (systemd-analyze verify, logrotate -d, Python's plistlib). User files go
/// under a temporary HOME; system files are only printed (--dry-run), never written to /etc.
/// </summary>
public class InstallServiceTests
{
    private static string Binary => LlmSpellBinary.Executable;

    private static Dictionary<string, string?> Home(ServiceSandbox sandbox) => new()
    {
        ["HOME"] = sandbox.Dir.File("home"),
        ["XDG_CONFIG_HOME"] = sandbox.Dir.File("home/.config"),
        ["XDG_STATE_HOME"] = null,
        ["XDG_DATA_HOME"] = null,
        ["XDG_RUNTIME_DIR"] = null,
    };

    private static string UserUnit(ServiceSandbox sandbox, string name = "llmspell-kernel") =>
        Path.Combine(sandbox.Dir.File("home/.config"), "systemd", "user", name + ".service");

    private static async Task VerifyUnitAsync(string unitFile)
    {
        var verify = await ProcessRunner.RunAsync(RequiredTool.Find("systemd-analyze", "systemd"), ["verify", unitFile], timeout: TimeSpan.FromSeconds(60));
        if (verify.ExitCode != 0 || verify.Stderr.Contains(unitFile, StringComparison.Ordinal))
            Assert.Fail($"systemd-analyze verify rejected the unit\n{verify}\n--- {unitFile} ---\n{File.ReadAllText(unitFile)}");
    }

    /// <summary>Splits `--dry-run` output (a "==> PATH <==" header, then the content, per file) into files.</summary>
    private static Dictionary<string, string> DryRunFiles(ProcessResult result)
    {
        var files = new Dictionary<string, string>();
        string? current = null;
        var content = new List<string>();
        foreach (var line in result.Stdout.Split('\n'))
        {
            // "==> PATH <==" (as head(1) prints file names), or the older "# PATH".
            var header = line.StartsWith("==> /", StringComparison.Ordinal) && line.TrimEnd().EndsWith(" <==", StringComparison.Ordinal)
                ? line.Trim()[4..^4]
                : line.StartsWith("# /", StringComparison.Ordinal) ? line[2..].Trim() : null;
            if (header is not null)
            {
                if (current is not null) files[current] = string.Join('\n', content).TrimEnd() + "\n";
                current = header;
                content.Clear();
            }
            else if (current is not null) content.Add(line);
        }
        if (current is not null) files[current] = string.Join('\n', content).TrimEnd() + "\n";
        if (files.Count == 0) Assert.Fail($"--dry-run printed no \"==> PATH <==\" file header\n{result}");
        return files;
    }

    private static string Get(Dictionary<string, string> files, string path, ProcessResult context) =>
        files.TryGetValue(path, out var text) ? text : throw new Xunit.Sdk.XunitException($"--dry-run did not print {path}\n{context}");

    [Fact]
    public async Task A_user_systemd_unit_is_written_under_home_and_passes_systemd_analyze_verify()
    {
        await using var sandbox = new ServiceSandbox();
        var install = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "systemd", "--port", "9601");
        Check.ExitCode(0, install);
        var unit = UserUnit(sandbox);
        Check.Contains($"Wrote {unit}", install.Stdout, install);
        var text = File.ReadAllText(unit);

        foreach (var line in new[]
                 {
                     "Type=forking",
                     $"ExecStart={Binary} kernel start --daemon --port 9601",
                     $"ExecStop={Binary} kernel stop --pid-file ",
                     "PIDFile=/",
                     "ExecReload=/bin/kill -HUP $MAINPID",
                     "Restart=on-failure",
                     "RestartSec=10",
                     "WantedBy=default.target",
                 })
            Check.Contains("\n" + line, text, text);
        Assert.True(Path.IsPathRooted(Binary));
        await VerifyUnitAsync(unit);
    }

    [Fact]
    public async Task A_notify_unit_runs_in_the_foreground_and_passes_verify()
    {
        await using var sandbox = new ServiceSandbox();
        var install = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "systemd", "--notify", "--name", "llmspell-notify");
        Check.ExitCode(0, install);
        var unit = UserUnit(sandbox, "llmspell-notify");
        var text = File.ReadAllText(unit);
        Check.Contains("\nType=notify", text, text);
        Check.Contains($"\nExecStart={Binary} kernel start", text, text);
        Check.DoesNotContain("--daemon", text, text);
        Check.DoesNotContain("PIDFile=", text, text);
        await VerifyUnitAsync(unit);
    }

    [Fact]
    public async Task The_system_unit_and_logrotate_file_of_a_dry_run_pass_systemd_analyze_and_logrotate()
    {
        await using var sandbox = new ServiceSandbox();
        var systemUnitExisted = File.Exists("/etc/systemd/system/llmspell-kernel.service");
        var dryRun = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--system", "--service-type", "systemd", "--logrotate",
            "--port", "9600", "--dry-run");
        Check.ExitCode(0, dryRun);
        var files = DryRunFiles(dryRun);
        Assert.Equal(systemUnitExisted, File.Exists("/etc/systemd/system/llmspell-kernel.service"));

        var unitText = Get(files, "/etc/systemd/system/llmspell-kernel.service", dryRun);
        foreach (var line in new[]
                 {
                     "Type=forking",
                     $"ExecStart={Binary} kernel start --daemon --port 9600 --log-file /var/log/llmspell/kernel.log --pid-file /var/run/llmspell/kernel.pid",
                     $"ExecStop={Binary} kernel stop --pid-file /var/run/llmspell/kernel.pid",
                     "PIDFile=/var/run/llmspell/kernel.pid",
                     "ExecReload=/bin/kill -HUP $MAINPID",
                     "Restart=on-failure",
                     "RestartSec=10",
                     "EnvironmentFile=-/etc/default/llmspell-kernel",
                     "PrivateTmp=yes",
                     "NoNewPrivileges=yes",
                     "ProtectSystem=strict",
                     "ProtectHome=read-only",
                     "ReadWritePaths=",
                     "LimitNOFILE=65536",
                     "WantedBy=multi-user.target",
                 })
            Check.Contains("\n" + line, unitText, unitText);
        var readWrite = unitText.Split('\n').Single(l => l.StartsWith("ReadWritePaths=", StringComparison.Ordinal));
        foreach (var dir in new[] { "/var/log/llmspell", "/var/run/llmspell", "/var/lib/llmspell" }) Check.Contains(dir, readWrite, unitText);
        var unitFile = sandbox.Dir.Write("llmspell-kernel.service", unitText);
        await VerifyUnitAsync(unitFile);

        var rotateText = Get(files, "/etc/logrotate.d/llmspell-kernel", dryRun);
        Check.Contains("/var/log/llmspell/*.log {", rotateText, rotateText);
        Check.Contains("kill -USR1 $(cat /var/run/llmspell/kernel.pid)", rotateText, rotateText);
        var rotateFile = sandbox.Dir.Write("llmspell-kernel.logrotate", rotateText);
        var logrotate = await ProcessRunner.RunAsync(RequiredTool.Find("logrotate", "logrotate"), ["-d", "-s", sandbox.Dir.File("logrotate.state"), rotateFile]);
        Check.ExitCode(0, logrotate);
        Check.DoesNotContain("error", logrotate.Output.ToLowerInvariant(), logrotate);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_launchd_plist_parses_and_runs_the_real_binary_in_the_foreground_with_keepalive(bool system)
    {
        await using var sandbox = new ServiceSandbox();
        string plist;
        if (system)
        {
            var dryRun = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--system", "--service-type", "launchd", "--dry-run");
            Check.ExitCode(0, dryRun);
            plist = sandbox.Dir.Write("com.llmspell.kernel.plist", Get(DryRunFiles(dryRun), "/Library/LaunchDaemons/com.llmspell.kernel.plist", dryRun));
        }
        else
        {
            var install = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "launchd", "--port", "9602");
            Check.ExitCode(0, install);
            plist = Path.Combine(sandbox.Dir.File("home"), "Library", "LaunchAgents", "com.llmspell.kernel.plist");
            Assert.True(File.Exists(plist), $"no plist at {plist}\n{install}");
        }

        const string script = """
            import plistlib, sys
            p = plistlib.load(open(sys.argv[1], 'rb'))
            args = p['ProgramArguments']
            problems = []
            if p.get('Label') != 'com.llmspell.kernel': problems.append('Label is %r' % p.get('Label'))
            if args[0] != sys.argv[2]: problems.append('ProgramArguments[0] is %r' % args[0])
            if args[1:3] != ['kernel', 'start']: problems.append('ProgramArguments[1:3] is %r' % args[1:3])
            if '--daemon' in args: problems.append('--daemon in ProgramArguments (KeepAlive needs the foreground)')
            if p.get('RunAtLoad') is not True: problems.append('RunAtLoad is %r' % p.get('RunAtLoad'))
            if p.get('KeepAlive') is not True: problems.append('KeepAlive is %r' % p.get('KeepAlive'))
            for key in ('StandardOutPath', 'StandardErrorPath'):
                if not str(p.get(key, '')).startswith('/'): problems.append('%s is %r' % (key, p.get(key)))
            print(' '.join(args))
            if problems: print('\n'.join(problems), file=sys.stderr); sys.exit(1)
            """;
        var python = await ProcessRunner.RunAsync(RequiredTool.Find("python3", "python3"), ["-c", script, plist, Binary]);
        if (python.ExitCode != 0) Assert.Fail($"{python}\n--- {plist} ---\n{File.ReadAllText(plist)}");
        if (!system) Check.Contains("--port 9602", python.Stdout, python);
    }

    [Fact]
    public async Task An_existing_unit_is_kept_without_force_and_replaced_with_force()
    {
        await using var sandbox = new ServiceSandbox();
        var unit = UserUnit(sandbox);
        Directory.CreateDirectory(Path.GetDirectoryName(unit)!);
        File.WriteAllText(unit, "# mine\n");

        var refused = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "systemd");
        Assert.True(refused.ExitCode != 0, "install-service overwrote an existing unit without --force\n" + refused);
        Check.Contains(unit, refused.Stderr, refused);
        Check.Contains("--force", refused.Stderr, refused);
        Check.NoStackTrace(refused.Output, refused);
        Assert.Equal("# mine\n", File.ReadAllText(unit));

        var forced = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "systemd", "--force");
        Check.ExitCode(0, forced);
        Check.Contains("Type=forking", File.ReadAllText(unit), forced);
    }

    [Fact]
    public async Task A_system_service_is_refused_a_config_whose_secret_others_can_read()
    {
        await using var sandbox = new ServiceSandbox();
        var config = sandbox.Dir.Write("kernel.toml", "[security]\nhmac_key = \"do-not-leak\"\n");
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var refused = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--system", "--service-type", "systemd", "--dry-run", "--config", config);
        Check.ExitCode(2, refused);
        Check.Contains("chmod 600", refused.Stderr, refused);
        Check.NoStackTrace(refused.Output, refused);
        Assert.DoesNotContain("do-not-leak", refused.Output);

        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var accepted = await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--system", "--service-type", "systemd", "--dry-run", "--config", config);
        Check.ExitCode(0, accepted);
        Check.Contains("--config " + config, accepted.Stdout, accepted);
    }

    [Fact]
    public async Task Enable_without_systemctl_on_path_fails_and_names_the_missing_tool()
    {
        await using var sandbox = new ServiceSandbox();
        var env = Home(sandbox);
        env["PATH"] = "/nonexistent";

        var install = await sandbox.CliAsync(env, "kernel", "install-service", "--service-type", "systemd", "--enable");

        Assert.True(install.ExitCode != 0, "--enable succeeded without systemctl\n" + install);
        Check.Contains("systemctl was not found", install.Stderr, install);
        Check.NoStackTrace(install.Output, install);
    }

    [Fact]
    public async Task Uninstall_service_removes_the_user_unit()
    {
        await using var sandbox = new ServiceSandbox();
        Check.ExitCode(0, await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "systemd", "--name", "llmspell-gone"));
        var unit = UserUnit(sandbox, "llmspell-gone");
        Assert.True(File.Exists(unit));
        var env = Home(sandbox);
        env["PATH"] = "/nonexistent"; // no service manager to talk to here: the file must go all the same

        var uninstall = await sandbox.CliAsync(env, "kernel", "uninstall-service", "--service-type", "systemd", "--name", "llmspell-gone");

        Check.ExitCode(0, uninstall);
        Check.Contains($"Removed {unit}", uninstall.Stdout, uninstall);
        Assert.False(File.Exists(unit), "the unit is still there\n" + uninstall);
        Check.Contains("systemctl was not found", uninstall.Stderr, uninstall);
        Check.NoStackTrace(uninstall.Output, uninstall);

        var again = await sandbox.CliAsync(env, "kernel", "uninstall-service", "--service-type", "systemd", "--name", "llmspell-gone");
        Assert.True(again.ExitCode != 0, "uninstalling a missing unit succeeded\n" + again);
        Check.Contains(unit, again.Stderr, again);
    }

    [Fact]
    public async Task Uninstall_does_not_claim_to_have_run_a_service_manager_command_it_skipped()
    {
        await using var sandbox = new ServiceSandbox();
        Check.ExitCode(0, await sandbox.CliAsync(Home(sandbox), "kernel", "install-service", "--service-type", "systemd"));
        var env = Home(sandbox);
        env["PATH"] = "/nonexistent";

        var uninstall = await sandbox.CliAsync(env, "kernel", "uninstall-service", "--service-type", "systemd");

        Check.ExitCode(0, uninstall);
        Check.Contains("skipped `systemctl --user disable --now llmspell-kernel`", uninstall.Stderr, uninstall);
        Check.DoesNotContain("Ran: systemctl", uninstall.Stdout, uninstall);
    }
}
