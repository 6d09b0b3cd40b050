using System.CommandLine;

namespace LlmSpell.Cli.Commands;

public static class StopCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "Kernel id to stop (default: the whole service)", Arity = ArgumentArity.ZeroOrOne };
        var port = CommonOptions.Port();
        var url = CommonOptions.Url();
        var config = CommonOptions.Config();
        var command = new Command("stop", "Stop a kernel by id, or the whole service") { id, port, url, config };
        command.SetAction(async (parse, ct) =>
        {
            using var client = CommonOptions.CreateClient(parse, url, port, config);
            var output = parse.InvocationConfiguration.Output;
            var kernelId = parse.GetValue(id);
            if (kernelId is null)
            {
                using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/api/shutdown"), ct);
                if (!response.IsSuccessStatusCode) throw await Client.ServiceClient.ProblemAsync(response, ct);
                output.WriteLine($"Service at {client.BaseAddress.GetLeftPart(UriPartial.Authority)} is shutting down.");
                return ExitCodes.Ok;
            }
            using (var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"/api/kernels/{Uri.EscapeDataString(kernelId)}"), ct))
            {
                if (!response.IsSuccessStatusCode) throw await Client.ServiceClient.ProblemAsync(response, ct);
            }
            output.WriteLine($"Kernel {kernelId} stopped.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
