using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>`llmspell kernel start --dry-run` on good and bad configurations.</summary>
public class DryRunTests
{
    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static Task<ProcessResult> DryRunAsync(TempDir dir, string? configToml, params string[] extra)
    {
        var args = new List<string> { "kernel", "start", "--dry-run", "--connection-file", dir.File("kernel.json") };
        if (configToml is not null) args.AddRange(["--config", dir.Write("kernel.toml", configToml)]);
        if (!extra.Contains("--port")) args.AddRange(["--port", P(Ports.FreeBlock())]);
        args.AddRange(extra);
        return Cli.RunAsync(args, workingDirectory: dir.Path);
    }

    [Fact]
    public async Task A_good_config_prints_the_effective_config_with_the_key_redacted_and_binds_nothing()
    {
        using var dir = new TempDir();
        const string secret = "e2e-Secret-Value-9f8e7d";
        var port = Ports.FreeBlock();
        var result = await DryRunAsync(dir, $"[kernel]\nidle_timeout = 0\n\n[security]\nhmac_key = \"{secret}\"\n", "--port", P(port));

        Check.ExitCode(0, result);
        foreach (var section in new[] { "[kernel]", "[daemon]", "[logging]", "[security]" })
            Check.Contains(section, result.Stdout, result);
        Check.Contains("hmac_key = \"<redacted>\"", result.Stdout, result);
        Check.DoesNotContain(secret, result.Output, result);
        Check.Contains($"port = {port}", result.Stdout, result);
        for (var p = port; p < port + 6; p++)
            Assert.False(Ports.IsListening(p), $"something listens on {p} after --dry-run\n{result}");
        Assert.False(File.Exists(dir.File("kernel.json")), $"--dry-run wrote the connection file\n{result}");
    }

    [Fact]
    public async Task A_port_that_is_taken_is_reported_as_address_already_in_use()
    {
        using var dir = new TempDir();
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((IPEndPoint)holder.LocalEndpoint).Port;
            var result = await DryRunAsync(dir, "", "--port", P(port));
            Assert.NotEqual(0, result.ExitCode);
            Check.Contains("Address already in use", result.Stderr, result);
            Check.Contains(P(port), result.Stderr, result);
            Check.NoStackTrace(result.Output, result);
        }
        finally
        {
            holder.Stop();
        }
    }

    /// <summary>
    /// Bad configurations: the problem, the file's content, the exit code (0: only a warning), where the report points
    /// (KERNEL_TOML + this suffix, or null) and what else it must mention.
    /// </summary>
    public static TheoryData<string, string, int, string?, string[]> Problems => new()
    {
        { "a wrong type names the key and the expected type", "[kernel]\nport = \"abc\"\n", 2, ":2:1", ["kernel.port", "integer"] },
        { "malformed TOML", "[kernel\nport = 9555\n", 2, ":1:", ["TOML"] },
        { "an unknown key is a warning with a suggestion", "[logging]\nlog_levl = \"debug\"\n", 0, ":2:1", ["log_levl", "did you mean", "log_level"] },
        { "an invalid log level", "[logging]\nlog_level = \"loud\"\n", 2, ":2:1", ["logging.log_level", "loud"] },
        { "every problem is listed", "[kernel]\nport = \"abc\"\n\n[logging]\nlog_level = \"loud\"\n", 2, null, ["kernel.port", "logging.log_level"] },
        { "an unexpanded openssl command as hmac_key", "[security]\nhmac_key = \"$(openssl rand -base64 32)\"\n", 2, ":2:", ["security.hmac_key", "openssl"] },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task A_bad_config_is_reported_with_file_line_and_column_and_no_stack_trace(string problem, string configToml, int exitCode,
        string? location, string[] mentions)
    {
        using var dir = new TempDir();
        var result = await DryRunAsync(dir, configToml);
        Check.ExitCode(exitCode, result);
        if (location is not null) Check.Contains(dir.File("kernel.toml") + location, result.Stderr, result);
        foreach (var mention in mentions) Check.Contains(mention, result.Stderr, result);
        Check.NoStackTrace(result.Output, $"{problem}\n{result}");
    }

    [Fact]
    public async Task The_guides_example_file_loads_with_command_line_overrides()
    {
        var guide = Path.Combine(LlmSpellBinary.RepositoryRoot, "..", "shared", "seed", "service-deployment.md");
        if (File.Exists(guide))
            Check.Contains(GuideExample.Toml, File.ReadAllText(guide).ReplaceLineEndings("\n"), "the guide's example changed; copy it again into tests/Shared/GuideExample.cs");

        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("work"));
        var port = Ports.FreeBlock();
        var args = new List<string>
        {
            "kernel", "start", "--dry-run", "--config", dir.Write("kernel.toml", GuideExample.Toml), "--port", P(port),
            "--connection-file", dir.File("run/kernel.json"), "--log-file", dir.File("log/kernel.log"), "--pid-file", dir.File("run/kernel.pid"),
        };
        // working_dir has no flag; the environment overrides the file as well.
        var result = await Cli.RunAsync(args, workingDirectory: dir.Path,
            environment: new Dictionary<string, string?> { ["LLMSPELL_DAEMON__WORKING_DIR"] = dir.File("work") });

        Check.ExitCode(0, result);
        Check.Contains($"port = {port}", result.Stdout, result);
        Check.Contains("umask = 0o077", result.Stdout, result);
        Check.Contains("hmac_key = \"<redacted>\"", result.Stdout, result);
        Check.Contains(dir.File("log/kernel.log"), result.Stdout, result);
        Check.DoesNotContain("your-secret-key-here", result.Output, result);
        Check.DoesNotContain("/var/log/llmspell", result.Stdout, result);
        Assert.False(Directory.Exists(dir.File("run")) || Directory.Exists(dir.File("log")), $"--dry-run created directories\n{result}");
    }

    [Fact]
    public async Task A_pid_file_that_cannot_be_created_is_a_problem()
    {
        // As root every permission check passes, so use a parent "directory" that is a regular file.
        using var dir = new TempDir();
        dir.Write("afile", "not a directory\n");
        var result = await DryRunAsync(dir, "", "--pid-file", dir.File("afile/sub/kernel.pid"));
        Check.ExitCode(1, result);
        Check.Contains("daemon.pid_file", result.Stderr, result);
        Assert.True(new[] { "Permission denied", "not a directory", "create" }.Any(w => result.Stderr.Contains(w, StringComparison.OrdinalIgnoreCase)),
            $"expected \"Permission denied\", \"not a directory\" or a hint to create the directory\n{result}");
        Check.NoStackTrace(result.Output, result);
    }
}
