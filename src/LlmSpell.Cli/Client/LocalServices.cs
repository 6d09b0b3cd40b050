using System.CommandLine;
using LlmSpell.Cli.Commands;
using LlmSpell.Server.Api;
using LlmSpell.Service.Paths;
using LlmSpell.Service.Registry;

namespace LlmSpell.Cli.Client;

/// <summary>A registered service and what probing it found (status is null when it did not answer).</summary>
public sealed record LocalService(ServiceRecord Record, ServiceStatus? Status, string Health, string? Error)
{
    public Uri Url => new($"{Record.UrlScheme}://{(Record.Host.Contains(':') ? $"[{Record.Host}]" : Record.Host)}:{Record.Port}");
}

/// <summary>Every llmspell service on this machine, from the registry records in the runtime directory.</summary>
public static class LocalServices
{
    public static ServiceRegistry Registry() => new(ServicePaths.Default.ServicesDir);

    /// <summary>Removes records of dead processes, then probes each live service's REST API.</summary>
    public static async Task<IReadOnlyList<LocalService>> DiscoverAsync(ParseResult parse, CancellationToken ct)
    {
        var registry = Registry();
        registry.Prune();
        var entries = registry.List().Where(e => e.IsAlive).ToList();
        return await Task.WhenAll(entries.Select(e => ProbeAsync(parse, e.Record, ct)));
    }

    private static async Task<LocalService> ProbeAsync(ParseResult parse, ServiceRecord record, CancellationToken ct)
    {
        var service = new LocalService(record, null, "unreachable", null);
        using var client = CommonOptions.CreateClient(parse, service.Url, TimeSpan.FromSeconds(5));
        try
        {
            var status = await client.GetAsync<ServiceStatus>("/api/status", ct);
            var health = await client.GetHealthAsync(ct);
            return service with { Status = status, Health = health };
        }
        catch (UserFacingException e)
        {
            return service with { Error = e.Message };
        }
    }
}
