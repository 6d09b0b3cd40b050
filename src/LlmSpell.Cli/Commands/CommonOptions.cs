using System.CommandLine;
using LlmSpell.Cli.Client;
using LlmSpell.Server.Config;

namespace LlmSpell.Cli.Commands;

/// <summary>Options shared by the client commands and how they locate the service.</summary>
public static class CommonOptions
{
    public static Option<int?> Port() => new("--port", "-p") { Description = "HTTP port of the service (default: kernel.port from the configuration, else 9555)" };

    public static Option<string?> Url() => new("--url") { Description = "Base URL of the service, e.g. http://127.0.0.1:9555 (overrides --port)" };

    public static Option<string?> Config() => new("--config", "-c") { Description = "Configuration file (default: $LLMSPELL_CONFIG, /etc/llmspell/kernel.toml as root, else ~/.config/llmspell/kernel.toml)" };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of a table" };

    /// <summary>--url, else --port on loopback, else the configured port and address, else 127.0.0.1:9555.</summary>
    public static Uri ResolveServiceUri(string? url, int? port, string? configPath)
    {
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new UserFacingException($"--url must be an absolute http(s) URL such as http://127.0.0.1:9555, got \"{url}\"", ExitCodes.InvalidConfiguration);
            return uri;
        }
        var host = "127.0.0.1";
        var scheme = "http";
        if (port is null)
        {
            try
            {
                var options = ConfigLoader.Load(new ConfigSources { ConfigPath = configPath }).Options;
                port = options.Kernel.Port;
                if (options.Kernel.Ip is not ("0.0.0.0" or "*" or "::" or "localhost")) host = options.Kernel.Ip.Contains(':') ? $"[{options.Kernel.Ip}]" : options.Kernel.Ip;
                if (options.Security.TlsEnabled) scheme = "https";
            }
            catch (ConfigException)
            {
                port = 9555;
            }
        }
        return new Uri($"{scheme}://{host}:{port}");
    }

    public static ServiceClient CreateClient(ParseResult parse, Option<string?> url, Option<int?> port, Option<string?> config) =>
        new(ResolveServiceUri(parse.GetValue(url), parse.GetValue(port), parse.GetValue(config)));
}
