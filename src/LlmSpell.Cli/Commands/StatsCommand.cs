using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LlmSpell.Cli.Client;
using LlmSpell.Cli.Output;
using LlmSpell.Server.Api;

namespace LlmSpell.Cli.Commands;

public static class StatsCommand
{
    public static Command Create()
    {
        var command = new Command("stats", "Show the service's counters and gauges");
        var options = ClientOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = options.CreateClient(parse);
            var stats = await client.GetAsync<ServiceStatistics>("/api/stats", ct);
            var output = parse.InvocationConfiguration.Output;
            output.Write(parse.GetValue(options.Json) ? JsonSerializer.Serialize(stats, ServiceClient.Json.TypeInfo<ServiceStatistics>()) + Environment.NewLine : Render(stats));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Render(ServiceStatistics s)
    {
        static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        return Table.Render(["METRIC", "VALUE"], [
            ["uptime", Table.Duration(s.UptimeSeconds)],
            ["requests", N(s.Requests)],
            ["request errors", N(s.RequestErrors)],
            ["kernels", N(s.Kernels)],
            ["kernels busy", N(s.KernelsBusy)],
            ["executions", N(s.Executions)],
            ["execution errors", N(s.ExecutionErrors)],
            ["rejected messages", N(s.RejectedMessages)],
            ["connected clients", N(s.ConnectedClients)],
            ["working set", Table.Bytes(s.WorkingSetBytes)],
            ["managed heap", Table.Bytes(s.ManagedHeapBytes)],
            ["gc gen0/gen1/gen2", $"{s.Gen0Collections}/{s.Gen1Collections}/{s.Gen2Collections}"],
            ["threads", N(s.Threads)],
            ["last activity", s.LastActivity.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)],
            ["llm requests", N(s.Llm.Requests)],
            ["llm errors", N(s.Llm.Errors)],
            ["llm retries", N(s.Llm.Retries)],
            ["llm tokens in/out", $"{N(s.Llm.InputTokens)}/{N(s.Llm.OutputTokens)}"],
            ["llm cost", s.Llm.CostUsd.ToString("0.######", CultureInfo.InvariantCulture) + " USD"],
        ]);
    }
}
