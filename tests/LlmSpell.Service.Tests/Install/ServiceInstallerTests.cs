using LlmSpell.Service.Install;
using LlmSpell.Service.Paths;
using LlmSpell.Service.Processes;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Install;

public class ServiceInstallerTests
{
    private static readonly ServiceEnvironment UserEnvironment = new()
    {
        Home = "/home/ada",
        EffectiveUserId = 1000,
        XdgRuntimeDir = "/run/user/1000",
    };

    [Fact]
    public void Dry_run_returns_the_text_and_writes_nothing()
    {
        using var temp = new TempDir();
        var installer = Installer(temp, new SystemProcessRunner(searchPath: temp.Combine("empty-path")));

        var result = installer.Install(Options(temp) with { System = true, DryRun = true, Enable = true });

        Assert.False(result.Applied);
        Assert.Equal(ServiceManagerKind.Systemd, result.Manager);
        Assert.Equal(
            [temp.Combine("root", "etc/systemd/system/llmspell-kernel.service"), temp.Combine("root", "etc/logrotate.d/llmspell-kernel")],
            result.Files.Select(f => f.Path));
        Assert.Contains("Type=forking", result.Files[0].Content);
        Assert.Contains("create 0640 llmspell llmspell", result.Files[1].Content);
        Assert.Empty(result.Commands);
        Assert.False(Directory.Exists(temp.Combine("root")));
    }

    [Fact]
    public void Install_writes_files_and_refuses_to_overwrite_without_force()
    {
        using var temp = new TempDir();
        var installer = Installer(temp, new SystemProcessRunner(searchPath: temp.Combine("empty-path")));
        var options = Options(temp);

        var first = installer.Install(options);

        var unitPath = temp.Combine("root", "home/.config/systemd/user/llmspell-kernel.service");
        Assert.True(first.Applied);
        Assert.Equal(first.Files.Single().Content, File.ReadAllText(unitPath));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(unitPath));
        File.WriteAllText(unitPath, "edited by hand");

        var error = Assert.Throws<ServiceInstallException>(() => installer.Install(options with { Port = 9600 }));

        Assert.Contains(unitPath, error.Message);
        Assert.Contains("--force", error.Message);
        Assert.Equal("edited by hand", File.ReadAllText(unitPath));

        installer.Install(options with { Port = 9600, Force = true });
        Assert.Contains("--port 9600", File.ReadAllText(unitPath));
    }

    [Fact]
    public void Enable_without_systemctl_on_path_reports_it_clearly_after_writing_the_unit()
    {
        using var temp = new TempDir();
        var installer = Installer(temp, new SystemProcessRunner(searchPath: Directory.CreateDirectory(temp.Combine("empty-path")).FullName));

        var error = Assert.Throws<ServiceInstallException>(() => installer.Install(Options(temp) with { Enable = true }));

        var unitPath = temp.Combine("root", "home/.config/systemd/user/llmspell-kernel.service");
        Assert.StartsWith("systemctl was not found on PATH", error.Message);
        Assert.Contains(unitPath, error.Message);
        Assert.Contains("systemctl --user daemon-reload", error.Message);
        Assert.True(File.Exists(unitPath));
    }

    [Fact]
    public void Failing_systemctl_reports_exit_code_and_stderr()
    {
        using var temp = new TempDir();
        temp.CreateExecutable("tools/systemctl", "echo \"$@\" >> \"$(dirname \"$0\")/calls\"\ncase \"$*\" in *enable*) echo 'Failed to enable unit: Access denied' >&2; exit 4;; esac");
        var installer = Installer(temp, new SystemProcessRunner(searchPath: temp.Combine("tools")));

        var error = Assert.Throws<ServiceInstallException>(() => installer.Install(Options(temp) with { Enable = true, Start = true }));

        Assert.Contains("`systemctl --user enable llmspell-kernel` failed with exit code 4: Failed to enable unit: Access denied", error.Message);
        Assert.Equal(["--user daemon-reload", "--user enable llmspell-kernel"], File.ReadAllLines(temp.Combine("tools", "calls")));
    }

    [Fact]
    public void Enable_and_start_run_systemctl_in_order()
    {
        using var temp = new TempDir();
        temp.CreateExecutable("tools/systemctl", "echo \"$@\" >> \"$(dirname \"$0\")/calls\"");
        var installer = Installer(temp, new SystemProcessRunner(searchPath: temp.Combine("tools")));

        var result = installer.Install(Options(temp) with { System = true, Enable = true, Start = true });

        Assert.Equal(["systemctl daemon-reload", "systemctl enable llmspell-kernel", "systemctl start llmspell-kernel"], result.Commands);
        Assert.Equal(["daemon-reload", "enable llmspell-kernel", "start llmspell-kernel"], File.ReadAllLines(temp.Combine("tools", "calls")));
    }

    [Fact]
    public void Launchd_on_linux_generates_but_enabling_reports_launchctl_missing()
    {
        using var temp = new TempDir();
        var installer = Installer(temp, new SystemProcessRunner(searchPath: temp.Combine("empty-path")));
        var options = Options(temp) with { ServiceType = ServiceManagerKind.Launchd };

        var dryRun = installer.Install(options with { DryRun = true });
        Assert.Equal(temp.Combine("root", "home/Library/LaunchAgents/com.llmspell.kernel.plist"), dryRun.Files.Single().Path);

        var error = Assert.Throws<ServiceInstallException>(() => installer.Install(options with { Enable = true }));
        Assert.StartsWith("launchctl was not found on PATH", error.Message);
        Assert.Contains("launchctl load -w", error.Message);
    }

    [Fact]
    public void Uninstall_disables_best_effort_and_removes_the_files()
    {
        using var temp = new TempDir();
        var installer = Installer(temp, new SystemProcessRunner(searchPath: temp.Combine("empty-path")));
        var options = Options(temp) with { System = true };
        var installed = installer.Install(options);

        var removed = installer.Uninstall(options);

        Assert.Equal(installed.Files.Select(f => f.Path), removed.Files.Select(f => f.Path));
        Assert.All(installed.Files, f => Assert.False(File.Exists(f.Path)));
        Assert.Contains(removed.Warnings, w => w.Contains("systemctl was not found on PATH", StringComparison.Ordinal));
        Assert.Throws<ServiceInstallException>(() => installer.Uninstall(options));
    }

    [Fact]
    public void Auto_detection_uses_systemd_when_systemctl_is_on_path_or_launchd_on_macos()
    {
        using var temp = new TempDir();
        temp.CreateExecutable("tools/systemctl");
        var noSystemd = temp.Combine("no-run-systemd");

        Assert.Equal(
            ServiceManagerKind.Systemd,
            ServiceManagerDetector.Resolve(ServiceManagerKind.Auto, new SystemProcessRunner(temp.Combine("tools")), false, noSystemd));
        Assert.Equal(
            ServiceManagerKind.Launchd,
            ServiceManagerDetector.Resolve(ServiceManagerKind.Auto, new SystemProcessRunner(temp.Combine("none")), true, noSystemd));
        var error = Assert.Throws<ServiceInstallException>(() =>
            ServiceManagerDetector.Resolve(ServiceManagerKind.Auto, new SystemProcessRunner(temp.Combine("none")), false, noSystemd));
        Assert.Contains("--service-type", error.Message);
    }

    private static ServiceInstaller Installer(TempDir temp, IProcessRunner runner) => new(
        runner,
        InstallLocations.UnderRoot(temp.Combine("root")),
        new FakeAccounts(("llmspell", "llmspell")),
        UserEnvironment,
        isMacOS: false,
        systemdRunDir: temp.Combine("no-run-systemd"));

    private static ServiceInstallOptions Options(TempDir temp) => new()
    {
        ExecutablePath = temp.CreateExecutable("bin/llmspell"),
        ServiceType = ServiceManagerKind.Systemd,
    };
}
