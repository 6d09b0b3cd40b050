using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LlmSpell.Cli.Client;
using LlmSpell.Cli.Output;
using LlmSpell.Server.Api;
using LlmSpell.Service.Paths;

namespace LlmSpell.Cli.Commands;

/// <summary>
/// `kernel status`: with --port/--url, one service in detail; otherwise every llmspell service on this machine
/// (from the registry, probing each), falling back to the configured port when none is registered.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show running services and their kernels (all local services unless --port/--url)");
        var options = ClientOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!options.NamesAService(parse))
            {
                var services = await LocalServices.DiscoverAsync(parse, ct);
                if (services.Count > 0)
                {
                    output.Write(parse.GetValue(options.Json)
                        ? JsonSerializer.Serialize(services.Select(s => new StatusEntryJson(s.Record, s.Health, s.Status, s.Error)).ToList(), ServiceClient.Json.TypeInfo<List<StatusEntryJson>>()) + Environment.NewLine
                        : RenderAll(services));
                    return ExitCodes.Ok;
                }
            }

            using var client = options.CreateClient(parse);
            ServiceStatus status;
            try
            {
                status = await client.GetAsync<ServiceStatus>("/api/status", ct);
            }
            catch (UserFacingException e) when (e.ExitCode == ExitCodes.NotRunning && !options.NamesAService(parse))
            {
                throw new UserFacingException($"No llmspell service is running on this machine (no records in {ServicePaths.Default.ServicesDir}, and {e.Message[0..1].ToLowerInvariant()}{e.Message[1..]}", ExitCodes.NotRunning);
            }
            var health = await client.GetHealthAsync(ct);
            output.Write(parse.GetValue(options.Json)
                ? JsonSerializer.Serialize(new StatusReportJson(status, health), ServiceClient.Json.TypeInfo<StatusReportJson>()) + Environment.NewLine
                : Render(status, health));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Render(ServiceStatus s, string health) =>
        ServiceTable([(s.Id, s.Pid, s.HttpUrl ?? "-", s.UptimeSeconds, s.State, health, s.LogLevel)]) + Environment.NewLine + KernelTable(s.Kernels.Select(k => (s.Id, k)));

    private static string RenderAll(IReadOnlyList<LocalService> services)
    {
        var rows = services.Select(s => (s.Record.Id, s.Record.Pid, s.Url.ToString().TrimEnd('/'),
            s.Status?.UptimeSeconds ?? (DateTimeOffset.UtcNow - s.Record.Started).TotalSeconds,
            s.Status?.State ?? "unknown", s.Health, s.Status?.LogLevel ?? "-"));
        var kernels = services.Where(s => s.Status is not null).SelectMany(s => s.Status!.Kernels.Select(k => (s.Record.Id, k)));
        var text = ServiceTable(rows) + Environment.NewLine + KernelTable(kernels);
        foreach (var s in services.Where(s => s.Error is not null)) text += $"{Environment.NewLine}{s.Record.Id}: {s.Error}";
        return text;
    }

    private static string ServiceTable(IEnumerable<(string Id, int Pid, string Url, double Uptime, string State, string Health, string LogLevel)> rows) =>
        Table.Render(["SERVICE", "PID", "URL", "UPTIME", "STATE", "HEALTH", "LOG LEVEL"],
            rows.Select(r => (IReadOnlyList<string>)[r.Id, r.Pid.ToString(CultureInfo.InvariantCulture), r.Url, Table.Duration(r.Uptime), r.State, r.Health, r.LogLevel]));

    private static string KernelTable(IEnumerable<(string Service, KernelModel Kernel)> kernels) =>
        Table.Render(["KERNEL", "SERVICE", "STATE", "CLIENTS", "EXECUTIONS", "SHELL PORT", "LAST ACTIVITY", "CONNECTION FILE"],
            kernels.Select(x => (IReadOnlyList<string>)[
                ShortId(x.Kernel.Id) + (x.Kernel.Default ? " (default)" : ""), x.Service, x.Kernel.ExecutionState,
                x.Kernel.Connections.ToString(CultureInfo.InvariantCulture), x.Kernel.ExecutionCount.ToString(CultureInfo.InvariantCulture),
                x.Kernel.Ports.Shell.ToString(CultureInfo.InvariantCulture),
                x.Kernel.LastActivity.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), x.Kernel.ConnectionFile ?? "-"]));

    /// <summary>The first 12 characters of a kernel's UUID, as docker shortens ids; `kernel stop` accepts any unique prefix.</summary>
    internal static string ShortId(string id) => id.Length > 12 && Guid.TryParse(id, out _) ? id[..12] : id;
}
