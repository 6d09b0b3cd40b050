using LlmSpell.Server.Config;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LlmSpell.Server.Security;

/// <summary>
/// Once Kestrel has bound (the real port is known) and before the service reports ready: logs the exposure
/// warnings and writes <c>token-&lt;port&gt;</c>, so a client that sees "ready" can already authenticate. The file is
/// removed at shutdown.
/// </summary>
public sealed partial class TokenFileService(ServiceRuntime runtime, ConfigStore config, IServer server, ILogger<TokenFileService> logger)
    : IHostedLifecycleService
{
    private string? _path;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var current = config.Current;
        if (SecurityChecks.ConfigFileExposesSecret(current.ConfigFile, current.Options) is { } exposed) Log.SecurityWarning(logger, exposed);
        foreach (var warning in SecurityChecks.ExposureWarnings(current.Options, runtime.KeyWasGenerated)) Log.SecurityWarning(logger, warning);

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Port <= 0) return Task.CompletedTask;
        try
        {
            _path = TokenFile.Write(runtime.RuntimeDirectory, url.Port, runtime.Key);
            Log.TokenWritten(logger, _path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.TokenNotWritten(logger, runtime.RuntimeDirectory, e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_path is not null) TokenFile.Delete(_path, runtime.Key);
        _path = null;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2400, Level = LogLevel.Warning, Message = "{SecurityWarning}")]
        public static partial void SecurityWarning(ILogger logger, string securityWarning);

        [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "REST token written to {TokenFile} (mode 0600; the llmspell CLI reads it)")]
        public static partial void TokenWritten(ILogger logger, string tokenFile);

        [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Could not write the REST token file in {RuntimeDirectory}: {Reason}. Clients must pass the token (--token or LLMSPELL_TOKEN).")]
        public static partial void TokenNotWritten(ILogger logger, string runtimeDirectory, string reason);
    }
}
