using LlmSpell.Service.Install;
using LlmSpell.Service.Logging;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Install;

public class LogrotateConfigGeneratorTests
{
    [Fact]
    public void Config_matches_the_guide()
    {
        var config = LogrotateConfigGenerator.Generate("/var/log/llmspell", "/var/run/llmspell/kernel.pid", "llmspell");

        Assert.Equal(
            """
            /var/log/llmspell/*.log {
                daily
                rotate 7
                compress
                delaycompress
                missingok
                notifempty
                su llmspell llmspell
                create 0640 llmspell llmspell
                postrotate
                    kill -USR1 $(cat /var/run/llmspell/kernel.pid) 2>/dev/null || true
                endscript
            }

            """.ReplaceLineEndings("\n"),
            config.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("root", "root")]
    [InlineData("nobody", "nogroup")]
    public void Config_passes_logrotate_debug_run(string user, string group)
    {
        // Rotating as another user needs root (chown, su), and that user must exist here.
        if (!ExternalTool.Require("logrotate", "logrotate")
            || (user != "root" && ServiceEnvironmentIsNotRoot())
            || new SystemAccountLookup().PrimaryGroupOf(user) != group)
        {
            return;
        }

        using var temp = new TempDir();
        var logDir = Directory.CreateDirectory(temp.Combine("log")).FullName;
        File.WriteAllText(Path.Combine(logDir, "kernel.log"), "line\n");
        if (user != "root")
        {
            // As in production, the log directory belongs to the service user that `su` switches to.
            File.SetUnixFileMode(temp.Path, (UnixFileMode)0b111_001_001);
            Assert.Equal(0, ExternalTool.Run("chown", ["-R", $"{user}:{group}", logDir]).ExitCode);
        }

        var config = WriteConfig(temp, LogrotateConfigGenerator.Generate(logDir, temp.Combine("kernel.pid"), user, group));

        var result = ExternalTool.Run("logrotate", ["-d", "-s", temp.Combine("state"), config]);

        var errors = result.StandardError.Split('\n').Where(l => l.StartsWith("error", StringComparison.Ordinal)).ToList();
        Assert.True(result.ExitCode == 0 && errors.Count == 0, $"logrotate -d exit {result.ExitCode}:\n{result.StandardError}");
    }

    [Fact]
    public void Forced_rotation_signals_the_kernel_which_reopens_its_log()
    {
        if (!ExternalTool.Require("logrotate", "logrotate") || ServiceEnvironmentIsNotRoot())
        {
            return;
        }

        using var temp = new TempDir();
        var logDir = Directory.CreateDirectory(temp.Combine("log")).FullName;
        var logPath = Path.Combine(logDir, "kernel.log");
        var marker = temp.Combine("usr1-received");
        using var kernel = System.Diagnostics.Process.Start(
            "/bin/sh", ["-c", $"trap 'echo reopen > \"{marker}\"' USR1; while :; do sleep 0.05; done"]);
        try
        {
            var pidFile = temp.Combine("kernel.pid");
            File.WriteAllText(pidFile, $"{kernel.Id}\n");
            using var log = new RotatingLogFile(new RotatingLogOptions { Path = logPath });
            log.Write("before rotation\n");
            var config = WriteConfig(temp, LogrotateConfigGenerator.Generate(logDir, pidFile, "root"));

            var result = ExternalTool.Run("logrotate", ["-f", "-s", temp.Combine("state"), config]);
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.True(SpinWait.SpinUntil(() => File.Exists(marker), TimeSpan.FromSeconds(10)), "postrotate did not send SIGUSR1");
            log.Reopen();
            log.Write("after rotation\n");

            Assert.Equal("before rotation\n", File.ReadAllText(logPath + ".1"));
            Assert.Equal("after rotation\n", File.ReadAllText(logPath));
            Assert.Equal(LogFileModes.File, File.GetUnixFileMode(logPath));
        }
        finally
        {
            kernel.Kill();
            kernel.WaitForExit();
        }
    }

    private static bool ServiceEnvironmentIsNotRoot() => !LlmSpell.Service.Paths.ServiceEnvironment.Current().IsRoot;

    private static string WriteConfig(TempDir temp, string content)
    {
        var path = temp.Combine("llmspell-kernel.logrotate");
        File.WriteAllText(path, content);

        // logrotate ignores configs that are group- or world-writable.
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }
}
