using System.CommandLine;
using LlmSpell.Cli.Client;

namespace LlmSpell.Cli.Commands;

/// <summary>The options every REST client command takes (--port, --url, --config, --json, --token, --ca-cert, --insecure).</summary>
public sealed record ClientOptions(Option<int?> Port, Option<string?> Url, Option<string?> Config, Option<bool> Json)
{
    /// <param name="json">False for commands with nothing to print as JSON; --json is then not offered.</param>
    public static ClientOptions AddTo(Command command, bool json = true)
    {
        var options = new ClientOptions(CommonOptions.Port(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        command.Options.Add(options.Port);
        command.Options.Add(options.Url);
        command.Options.Add(options.Config);
        if (json) command.Options.Add(options.Json);
        command.AddSecurityOptions();
        return options;
    }

    /// <summary>True when the user named one service (--port or --url) rather than "this machine's services".</summary>
    public bool NamesAService(ParseResult parse) => parse.GetValue(Port) is not null || parse.GetValue(Url) is not null;

    public ServiceClient CreateClient(ParseResult parse) => CommonOptions.CreateClient(parse, Url, Port, Config);
}
