using LlmSpell.Service.Install;
using LlmSpell.Service.Paths;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Install;

public class SystemdUnitGeneratorTests
{
    private static readonly ServiceEnvironment UserEnvironment = new()
    {
        Home = "/home/ada",
        EffectiveUserId = 1000,
        XdgRuntimeDir = "/run/user/1000",
    };

    [Fact]
    public void System_unit_matches_the_guide_and_passes_systemd_analyze_verify()
    {
        using var temp = new TempDir();
        var binary = temp.CreateExecutable("bin/llmspell");
        var options = new ServiceInstallOptions { ExecutablePath = binary, System = true };

        var unit = SystemdUnitGenerator.Generate(options, new FakeAccounts(("llmspell", "llmspell")));

        var lines = unit.Split('\n');
        Assert.Contains("Description=LLMSpell Kernel Service", lines);
        Assert.Contains("After=network.target", lines);
        Assert.Contains("Type=forking", lines);
        Assert.Contains(
            $"ExecStart={binary} kernel start --daemon --port 9555 --log-file /var/log/llmspell/kernel.log --pid-file /var/run/llmspell/kernel.pid",
            lines);
        Assert.Contains($"ExecStop={binary} kernel stop --pid-file /var/run/llmspell/kernel.pid", lines);
        Assert.Contains("ExecReload=/bin/kill -HUP $MAINPID", lines);
        Assert.Contains("PIDFile=/var/run/llmspell/kernel.pid", lines);
        Assert.Contains("Restart=on-failure", lines);
        Assert.Contains("RestartSec=10", lines);
        Assert.Contains("EnvironmentFile=-/etc/default/llmspell-kernel", lines);
        Assert.Contains("User=llmspell", lines);
        Assert.Contains("Group=llmspell", lines);
        Assert.Contains("RuntimeDirectory=llmspell", lines);
        Assert.Contains("PrivateTmp=yes", lines);
        Assert.Contains("NoNewPrivileges=yes", lines);
        Assert.Contains("ProtectSystem=strict", lines);
        Assert.Contains("ProtectHome=read-only", lines);
        Assert.Contains("ReadWritePaths=-/var/log/llmspell -/var/run/llmspell -/var/lib/llmspell", lines);
        Assert.Contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", lines);
        Assert.Contains("CapabilityBoundingSet=", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("MemoryDenyWriteExecute=", StringComparison.Ordinal));
        Assert.Contains("LimitNOFILE=65536", lines);
        Assert.Contains("LimitNPROC=512", lines);
        Assert.Contains("MemoryMax=2G", lines);
        Assert.Contains("CPUQuota=200%", lines);
        Assert.Contains("WantedBy=multi-user.target", lines);
        AssertVerifies(temp, "llmspell-kernel.service", unit, user: false);
    }

    [Fact]
    public void System_unit_without_service_user_has_no_user_line()
    {
        using var temp = new TempDir();
        var unit = SystemdUnitGenerator.Generate(
            new ServiceInstallOptions { ExecutablePath = temp.CreateExecutable("llmspell"), System = true }, new FakeAccounts());

        Assert.DoesNotContain("User=", unit);
        Assert.DoesNotContain("Group=", unit);
    }

    [Fact]
    public void User_unit_passes_verify_and_uses_user_locations()
    {
        using var temp = new TempDir();
        var binary = temp.CreateExecutable("llmspell");
        var options = new ServiceInstallOptions { ExecutablePath = binary, ConfigFile = "/home/ada/.config/llmspell/kernel.toml", KernelId = "dev" };

        var unit = SystemdUnitGenerator.Generate(options, new FakeAccounts(("llmspell", "llmspell")), UserEnvironment);

        var lines = unit.Split('\n');
        Assert.Contains(
            $"ExecStart={binary} kernel start --daemon --port 9555 --log-file /home/ada/.local/state/llmspell/kernel.log " +
            "--pid-file /run/user/1000/llmspell/kernel.pid --config /home/ada/.config/llmspell/kernel.toml --id dev",
            lines);
        Assert.Contains("EnvironmentFile=-%h/.config/llmspell/llmspell-kernel.env", lines);
        Assert.Contains("RuntimeDirectory=llmspell", lines);
        Assert.Contains("WantedBy=default.target", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("User=", StringComparison.Ordinal));
        AssertVerifies(temp, "llmspell-kernel.service", unit, user: true);
    }

    [Fact]
    public void User_unit_without_runtime_dir_creates_the_pid_directory_first()
    {
        using var temp = new TempDir();
        var unit = SystemdUnitGenerator.Generate(
            new ServiceInstallOptions { ExecutablePath = temp.CreateExecutable("llmspell") },
            new FakeAccounts(),
            UserEnvironment with { XdgRuntimeDir = null });

        Assert.Contains("ExecStartPre=/bin/mkdir -p /home/ada/.local/state/llmspell/run", unit);
        AssertVerifies(temp, "llmspell-kernel.service", unit, user: true);
    }

    [Fact]
    public void Notify_variant_runs_in_the_foreground_without_pid_file_tracking()
    {
        using var temp = new TempDir();
        var binary = temp.CreateExecutable("llmspell");
        var unit = SystemdUnitGenerator.Generate(
            new ServiceInstallOptions { ExecutablePath = binary, System = true, NotifyType = true, Name = "my-kernel" },
            new FakeAccounts());

        var lines = unit.Split('\n');
        Assert.Contains("Type=notify", lines);
        Assert.Contains("NotifyAccess=main", lines);
        Assert.DoesNotContain("--daemon", unit);
        Assert.DoesNotContain(lines, l => l.StartsWith("PIDFile=", StringComparison.Ordinal));
        Assert.Contains("EnvironmentFile=-/etc/default/my-kernel", lines);
        AssertVerifies(temp, "my-kernel.service", unit, user: false);
    }

    [Fact]
    public void Paths_with_spaces_percent_and_dollar_are_escaped()
    {
        using var temp = new TempDir();
        var binary = temp.CreateExecutable("my tools/llm$pell");
        var logFile = temp.Combine("log dir", "100%", "kernel.log");
        var options = new ServiceInstallOptions
        {
            ExecutablePath = binary,
            System = true,
            LogFile = logFile,
            PidFile = temp.Combine("run", "kernel.pid"),
            KernelId = "k$1",
        };

        var unit = SystemdUnitGenerator.Generate(options, new FakeAccounts());

        var escapedBinary = $"\"{binary}\"";
        Assert.Contains($"ExecStart={escapedBinary} kernel start --daemon --port 9555 --log-file \"{logFile.Replace("%", "%%")}\"", unit);
        Assert.Contains($"\"-{temp.Combine("log dir", "100%%")}\"", unit);
        Assert.Contains("--id k$$1", unit);
        AssertVerifies(temp, "llmspell-kernel.service", unit, user: false);
    }

    [Fact]
    public void Dotnet_host_is_followed_by_the_absolute_dll_path()
    {
        using var temp = new TempDir();
        var dotnet = temp.CreateExecutable("dotnet");
        var unit = SystemdUnitGenerator.Generate(
            new ServiceInstallOptions { ExecutablePath = dotnet, EntryAssemblyPath = temp.Combine("app", "llmspell.dll"), System = true },
            new FakeAccounts());

        Assert.Contains($"ExecStart={dotnet} {temp.Combine("app", "llmspell.dll")} kernel start --daemon", unit);
        AssertVerifies(temp, "llmspell-kernel.service", unit, user: false);
    }

    [Fact]
    public void Invalid_names_and_ports_are_rejected()
    {
        var options = new ServiceInstallOptions { ExecutablePath = "/usr/bin/llmspell" };

        Assert.Throws<ServiceInstallException>(() => SystemdUnitGenerator.Generate(options with { Name = "bad name" }, new FakeAccounts()));
        Assert.Throws<ServiceInstallException>(() => SystemdUnitGenerator.Generate(options with { Port = 70000 }, new FakeAccounts()));
        Assert.Equal(
            "/etc/systemd/system/custom.service",
            SystemdUnitGenerator.UnitPath(options with { Name = "custom.service", System = true }, InstallLocations.For(UserEnvironment)));
        Assert.Equal(
            "/home/ada/.config/systemd/user/llmspell-kernel.service",
            SystemdUnitGenerator.UnitPath(options, InstallLocations.For(UserEnvironment)));
    }

    private static void AssertVerifies(TempDir temp, string fileName, string unit, bool user)
    {
        if (!ExternalTool.Require("systemd-analyze", "systemd"))
        {
            return;
        }

        var path = temp.Combine("units", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, unit);
        string? runtimeDir = null;
        if (user)
        {
            runtimeDir = Directory.CreateDirectory(temp.Combine("xdg-runtime")).FullName;
            File.SetUnixFileMode(runtimeDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var (exitCode, problems) = SystemdVerifier.Verify(path, user, runtimeDir);

        Assert.True(exitCode == 0 && problems.Count == 0, $"systemd-analyze verify {path} (exit {exitCode}):\n{string.Join('\n', problems)}\n{unit}");
    }
}
