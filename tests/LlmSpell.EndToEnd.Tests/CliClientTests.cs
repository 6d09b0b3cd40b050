using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>status, stats and reload run through the real CLI against a running service.</summary>
public class CliClientTests
{
    [Fact]
    public async Task Status_prints_a_table_with_the_service_id_and_health_and_json_with_the_pid()
    {
        await using var service = await ServiceProcess.StartAsync(["--id", "e2estatus"]);
        var port = service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var table = await Cli.RunAsync("kernel", "status", "--port", port);
        Check.ExitCode(0, table);
        Check.Contains("e2estatus", table.Stdout, table);
        Check.Contains("healthy", table.Stdout, table);
        Check.Contains(service.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), table.Stdout, table);

        var json = await Cli.RunAsync("kernel", "status", "--port", port, "--json");
        Check.ExitCode(0, json);
        var doc = Check.Json(json.Stdout, json);
        Assert.Equal(service.Pid, doc.GetProperty("service").GetProperty("pid").GetInt32());
        Assert.Equal("e2estatus", doc.GetProperty("service").GetProperty("id").GetString());
        Assert.Equal("healthy", doc.GetProperty("health").GetString());
    }

    [Fact]
    public async Task Stats_prints_a_table_and_json_with_requests_counted()
    {
        await using var service = await ServiceProcess.StartAsync();
        var port = service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var table = await Cli.RunAsync("kernel", "stats", "--port", port);
        Check.ExitCode(0, table);
        Check.Contains("requests", table.Stdout, table);
        Check.Contains("uptime", table.Stdout, table);

        var json = await Cli.RunAsync("kernel", "stats", "--port", port, "--json");
        Check.ExitCode(0, json);
        var stats = Check.Json(json.Stdout, json);
        Assert.True(stats.GetProperty("requests").GetInt64() > 0, json.ToString());
        Assert.True(stats.GetProperty("kernels").GetInt64() >= 1, json.ToString());
    }

    [Fact]
    public async Task Reload_without_changes_exits_0()
    {
        await using var service = await ServiceProcess.StartAsync();
        var reload = await Cli.RunAsync("kernel", "reload", "--port", service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check.ExitCode(0, reload);
        Check.NoStackTrace(reload.Output, reload);
    }

    [Fact]
    public async Task Reload_applies_a_new_log_level_and_rejects_a_broken_file_keeping_the_old_config()
    {
        await using var service = await ServiceProcess.StartAsync(configToml: "[logging]\nlog_level = \"info\"\n");
        var port = service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("info", await LogLevelAsync(port));

        File.WriteAllText(service.ConfigFile, "[logging]\nlog_level = \"debug\"\n");
        var reload = await Cli.RunAsync("kernel", "reload", "--port", port);
        Check.ExitCode(0, reload);
        Check.Contains("logging.log_level", reload.Stdout, reload);
        Check.Contains("debug", reload.Stdout, reload);
        Assert.Equal("debug", await LogLevelAsync(port));

        File.WriteAllText(service.ConfigFile, "[logging\nlog_level = \"warn\"\n");
        var broken = await Cli.RunAsync("kernel", "reload", "--port", port);
        Assert.NotEqual(0, broken.ExitCode);
        Check.Contains(service.ConfigFile + ":1:", broken.Output, broken);
        Check.NoStackTrace(broken.Output, broken);

        Assert.Equal("debug", await LogLevelAsync(port));
        var health = await Curl.RunAsync("-w", "\n%{http_code}", $"http://127.0.0.1:{port}/health");
        Check.Contains("\n200", health.Stdout, health);
        Check.Contains("\"healthy\"", health.Stdout, health);
        Assert.False(service.HasExited, service.Describe());
    }

    private static async Task<string?> LogLevelAsync(string port)
    {
        var status = await Cli.RunAsync("kernel", "status", "--port", port, "--json");
        Check.ExitCode(0, status);
        return Check.Json(status.Stdout, status).GetProperty("service").GetProperty("log_level").GetString();
    }
}
