using System.CommandLine;
using System.Text.Json;
using LlmSpell.Cli.Client;
using LlmSpell.Cli.Output;
using LlmSpell.Server.Api;

namespace LlmSpell.Cli.Commands;

public static class ReloadCommand
{
    public static Command Create()
    {
        var command = new Command("reload", "Make the running service re-read its configuration (like SIGHUP)");
        var options = ClientOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = options.CreateClient(parse);
            var result = await client.PostAsync<ReloadResult>("/api/reload", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(options.Json))
            {
                output.WriteLine(JsonSerializer.Serialize(result, ServiceClient.Json.TypeInfo<ReloadResult>()));
                return ExitCodes.Ok;
            }
            foreach (var warning in result.Warnings) parse.InvocationConfiguration.Error.WriteLine(warning);
            if (result.Changes.Count == 0)
            {
                output.WriteLine($"Configuration reloaded from {result.ConfigFile ?? "defaults"}: no changes.");
                return ExitCodes.Ok;
            }
            output.WriteLine($"Configuration reloaded from {result.ConfigFile ?? "defaults"}:");
            output.Write(Table.Render(["KEY", "OLD", "NEW", "APPLIED"], result.Changes.Select(c => (IReadOnlyList<string>)[c.Key, c.Old ?? "", c.New ?? "", c.Applied])));
            return ExitCodes.Ok;
        });
        return command;
    }
}
