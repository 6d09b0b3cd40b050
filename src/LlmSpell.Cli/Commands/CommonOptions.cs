using System.CommandLine;
using LlmSpell.Cli.Client;
using LlmSpell.Server.Config;
using LlmSpell.Server.Security;

namespace LlmSpell.Cli.Commands;

/// <summary>Options shared by the client commands and how they locate the service.</summary>
public static class CommonOptions
{
    /// <summary>The configuration for a command that runs Lua here (`kernel run`, `run`, `exec`, `providers`):
    /// invalid configuration is exit 2 with every problem listed.</summary>
    public static LlmSpellOptions LoadConfig(string? configPath)
    {
        try
        {
            return ConfigLoader.Load(new ConfigSources { ConfigPath = configPath }).Options;
        }
        catch (ConfigException e)
        {
            throw new UserFacingException("the configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, e.Problems.Select(p => "  " + p)), ExitCodes.InvalidConfiguration);
        }
    }

    public static Option<int?> Port() => new("--port", "-p") { Description = $"HTTP port of the service (default: kernel.port from the configuration, else {LlmSpell.Service.ServiceDefaults.HttpPort})" };

    public static Option<string?> Url() => new("--url") { Description = "Base URL of the service, e.g. http://127.0.0.1:9555 (overrides --port)" };

    public static Option<string?> Config() => new("--config", "-c") { Description = "Configuration file (default: $LLMSPELL_CONFIG, /etc/llmspell/kernel.toml as root, else ~/.config/llmspell/kernel.toml)" };

    public static Option<string?> Token() => new(TokenName) { Description = "REST token (default: $LLMSPELL_TOKEN, else the token file the service wrote in the runtime directory for its port, else security.hmac_key from the configuration)" };

    public static Option<string?> CaCert() => new(CaCertName) { Description = "PEM certificate (the service's own or its CA) to trust for https" };

    public static Option<bool> Insecure() => new(InsecureName) { Description = "Do not verify the service's TLS certificate (testing only)" };

    private const string TokenName = "--token";
    private const string CaCertName = "--ca-cert";
    private const string InsecureName = "--insecure";

    /// <summary>Adds --token, --ca-cert and --insecure to a client command; <see cref="CreateClient"/> picks them up by name.</summary>
    public static Command AddSecurityOptions(this Command command)
    {
        command.Options.Add(Token());
        command.Options.Add(CaCert());
        command.Options.Add(Insecure());
        return command;
    }

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of a table" };

    /// <summary>--url, else --port on loopback, else the configured port and address, else 127.0.0.1:9555.</summary>
    public static Uri ResolveServiceUri(string? url, int? port, LlmSpellOptions? options)
    {
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new UserFacingException($"--url must be an absolute http(s) URL such as http://127.0.0.1:9555, got \"{url}\"", ExitCodes.InvalidConfiguration);
            return uri;
        }
        var host = "127.0.0.1";
        // The configured service speaks https when tls_enabled, also when only --port is given.
        var scheme = options?.Security.TlsEnabled == true ? "https" : "http";
        if (port is null && options is not null)
        {
            port = options.Kernel.Port;
            if (options.Kernel.Ip is not ("0.0.0.0" or "*" or "::" or "localhost")) host = options.Kernel.Ip.Contains(':') ? $"[{options.Kernel.Ip}]" : options.Kernel.Ip;
        }
        port ??= LlmSpell.Service.ServiceDefaults.HttpPort;
        return new Uri($"{scheme}://{host}:{port}");
    }

    /// <summary>The configuration the CLI reads (read once per command); null when it is invalid.</summary>
    public static LlmSpellOptions? TryLoadOptions(string? configPath, IReadOnlyDictionary<string, string?>? environment = null)
    {
        try
        {
            return ConfigLoader.Load(new ConfigSources { ConfigPath = configPath, Environment = environment }).Options;
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    public static ServiceClient CreateClient(ParseResult parse, Option<string?> url, Option<int?> port, Option<string?> config)
    {
        var explicitUrl = parse.GetValue(url);
        var configPath = parse.GetValue(config);
        var options = TryLoadOptions(configPath);
        var uri = ResolveServiceUri(explicitUrl, parse.GetValue(port), options);
        var (token, hint) = ResolveToken(Value<string?>(parse, TokenName), uri, explicitUrl is null, options, environment: null);
        var handler = ServiceClient.CreateHandler(Value<string?>(parse, CaCertName), Value<bool>(parse, InsecureName), uri.Scheme == Uri.UriSchemeHttps);
        // A cold CLI process spends a second or more on its first TLS handshake (OpenSSL and chain building); give https more time.
        var budget = uri.Scheme == Uri.UriSchemeHttps ? TimeSpan.FromSeconds(30) : (TimeSpan?)null;
        return new ServiceClient(uri, token, handler, budget) { UnauthorizedHint = hint };
    }

    /// <summary>A client for a known service address (e.g. from the registry), with the same token and TLS rules.</summary>
    public static ServiceClient CreateClient(ParseResult parse, Uri uri, TimeSpan? retryBudget = null)
    {
        var (token, hint) = ResolveToken(Value<string?>(parse, TokenName), uri, targetFromConfig: false, TryLoadOptions(null), environment: null);
        var handler = ServiceClient.CreateHandler(Value<string?>(parse, CaCertName), Value<bool>(parse, InsecureName), uri.Scheme == Uri.UriSchemeHttps);
        return new ServiceClient(uri, token, handler, retryBudget) { UnauthorizedHint = hint };
    }

    /// <summary>The value of an option the command may or may not declare (see <see cref="AddSecurityOptions"/>).</summary>
    private static T? Value<T>(ParseResult parse, string name) =>
        parse.CommandResult.Command.Options.OfType<Option<T>>().FirstOrDefault(o => o.Name == name) is { } option ? parse.GetValue(option) : default;

    /// <summary>
    /// The token to send and the line to print if the service still answers 401. In order: --token, $LLMSPELL_TOKEN,
    /// then (only for a loopback target or one taken from the configuration, so a secret never goes to a foreign host)
    /// the service's token file for the port, then the configured service key (<see cref="ServiceKey"/>).
    /// </summary>
    public static (string? Token, string Hint) ResolveToken(string? option, Uri target, bool targetFromConfig, LlmSpellOptions? options,
        IReadOnlyDictionary<string, string?>? environment)
    {
        string? Env(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        var tokenFile = LlmSpell.Server.Security.TokenFile.PathFor(Server.ServiceRuntime.DefaultRuntimeDirectory(), target.Port);
        const string how = "Pass it with --token TOKEN or LLMSPELL_TOKEN=TOKEN (the service's hmac_key), or run the CLI as the service's user so it can read the token file.";
        if (option is { Length: > 0 })
            return (option, "401 Unauthorized: the service rejected the token given with --token.");
        if (Env("LLMSPELL_TOKEN") is { Length: > 0 } env)
            return (env, "401 Unauthorized: the service rejected the token in $LLMSPELL_TOKEN.");
        if (target.IsLoopback || targetFromConfig)
        {
            if (LlmSpell.Server.Security.TokenFile.TryRead(Server.ServiceRuntime.DefaultRuntimeDirectory(), target.Port) is { } fromFile)
                return (fromFile, $"401 Unauthorized: the service rejected the token read from {tokenFile} (stale file from another service?). {how}");
            try
            {
                if (ServiceKey.Resolve(options ?? new LlmSpellOptions(), Env) is { } configured)
                    return (configured.Key, configured.Source switch
                    {
                        ServiceKeySource.HmacKey => $"401 Unauthorized: the service rejected security.hmac_key from the configuration. {how}",
                        ServiceKeySource.HmacKeyFile => $"401 Unauthorized: the service rejected the key in {configured.File} (security.hmac_key_file). {how}",
                        _ => $"401 Unauthorized: the service rejected ${ServiceKey.EnvironmentVariable}. {how}",
                    });
            }
            catch (ConfigException)
            {
                // An unreadable hmac_key_file: the token file or --token must do.
            }
        }
        var looked = target.IsLoopback || targetFromConfig
            ? $"--token, $LLMSPELL_TOKEN, the token file {tokenFile} (missing or not readable by this user) and security.hmac_key in the configuration"
            : $"--token and $LLMSPELL_TOKEN (token files and the configured key are only used for loopback or configured targets, never sent to {target.Host})";
        return (null, $"401 Unauthorized: the service requires a token and none was found (looked at {looked}). {how}");
    }
}
