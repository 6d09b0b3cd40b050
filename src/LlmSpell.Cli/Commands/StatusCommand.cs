using System.CommandLine;
using System.Text.Json;
using LlmSpell.Cli.Client;
using LlmSpell.Cli.Output;
using LlmSpell.Server.Api;

namespace LlmSpell.Cli.Commands;

public static class StatusCommand
{
    public static Command Create()
    {
        var port = CommonOptions.Port();
        var url = CommonOptions.Url();
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var command = new Command("status", "Show the running service and its kernels") { port, url, config, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = CommonOptions.CreateClient(parse, url, port, config);
            var status = await client.GetAsync<ServiceStatus>("/api/status", ct);
            var health = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/health"), ct);
            string healthText;
            using (health)
            {
                using var doc = JsonDocument.Parse(await health.Content.ReadAsStringAsync(ct));
                healthText = doc.RootElement.TryGetProperty("status", out var s) ? s.GetString() ?? "unknown" : "unknown";
            }
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { service = status, health = healthText }, ServiceClient.Json));
                return ExitCodes.Ok;
            }
            output.Write(Render(status, healthText));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Render(ServiceStatus s, string health)
    {
        var service = Table.Render(["SERVICE", "PID", "URL", "UPTIME", "STATE", "HEALTH", "LOG LEVEL", "VERSION"],
            [[s.Id, s.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), s.HttpUrl ?? "-", Table.Duration(s.UptimeSeconds), s.State, health, s.LogLevel, s.Version]]);
        var kernels = Table.Render(["KERNEL", "STATE", "CLIENTS", "EXECUTIONS", "SHELL PORT", "LAST ACTIVITY", "CONNECTION FILE"],
            s.Kernels.Select(k => (IReadOnlyList<string>)[
                k.Default ? k.Id + " (default)" : k.Id, k.ExecutionState, k.Connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
                k.ExecutionCount.ToString(System.Globalization.CultureInfo.InvariantCulture), k.Ports.Shell.ToString(System.Globalization.CultureInfo.InvariantCulture),
                k.LastActivity.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), k.ConnectionFile ?? "-"]));
        return service + Environment.NewLine + kernels;
    }
}
