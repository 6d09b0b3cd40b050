using System.CommandLine;
using LlmSpell.Cli.Client;
using LlmSpell.Server.Api;
using LlmSpell.Service.Pid;
using LlmSpell.Service.Processes;

namespace LlmSpell.Cli.Commands;

/// <summary>
/// `kernel stop`: by PID file (signals, for service managers), by kernel or service id (found among all local
/// services), every local service (--all), or the service at --port/--url. Waits until the process has exited.
/// </summary>
public static class StopCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "Kernel or service id (see `llmspell kernel status`); without it, the service at --port/--url", Arity = ArgumentArity.ZeroOrOne };
        var pidFile = new Option<string?>("--pid-file") { Description = "Stop the process named by this PID file with SIGTERM" };
        var all = new Option<bool>("--all") { Description = "Stop every llmspell service on this machine" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for a graceful exit before SIGKILL", DefaultValueFactory = _ => 30 };
        var force = new Option<bool>("--force") { Description = "With --pid-file: SIGKILL at once instead of waiting for a graceful exit" };
        var command = new Command("stop", "Stop a kernel, a service, or all local services") { id, pidFile, all, timeout, force };
        var options = ClientOptions.AddTo(command, json: false);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var wait = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(timeout)));
            if (parse.GetValue(pidFile) is { } path)
                return await StopByPidFileAsync(Path.GetFullPath(path), wait, parse.GetValue(force), output, error, ct);
            if (parse.GetValue(all))
                return await StopAllAsync(parse, wait, output, error, ct);
            var target = parse.GetValue(id);
            if (target is not null && !options.NamesAService(parse))
                return await StopByIdAsync(parse, target, wait, output, error, ct);

            using var client = options.CreateClient(parse);
            if (target is not null)
            {
                await DeleteKernelAsync(client, target, ct);
                output.WriteLine($"Kernel {target} stopped.");
                return ExitCodes.Ok;
            }
            return await ShutdownAsync(client, wait, output, error, ct);
        });
        return command;
    }

    private static async Task<int> StopByPidFileAsync(string path, TimeSpan wait, bool force, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (PidFile.ReadPid(path) is not { } pid)
        {
            output.WriteLine($"No PID file at {path} (or it holds no pid): the service is not running.");
            return ExitCodes.Ok;
        }
        if (!ProcessProbe.IsAlive(pid) || !PidFile.IsLocked(path))
        {
            output.WriteLine($"Process {pid} from {path} is not running (stale PID file); nothing to stop.");
            return ExitCodes.Ok;
        }
        var signal = force ? ProcessSignals.SigKill : ProcessSignals.SigTerm;
        if (ProcessSignals.Send(pid, signal) is { } failure)
            throw new UserFacingException($"{failure}: cannot signal pid {pid} from {path}; run as its owner or root (e.g. sudo llmspell kernel stop --pid-file {path}).");
        if (force)
        {
            await ProcessSignals.WaitForExitAsync(pid, TimeSpan.FromSeconds(5), ct: ct);
            TryDelete(path);
            output.WriteLine($"Killed pid {pid} (SIGKILL).");
            return ExitCodes.Ok;
        }
        error.WriteLine($"Sent SIGTERM to pid {pid}; waiting up to {wait.TotalSeconds:F0}s for it to exit…");
        if (await ProcessSignals.WaitForExitAsync(pid, wait, waited => error.WriteLine($"  still running after {waited.TotalSeconds:F0}s…"), ct))
        {
            output.WriteLine($"Stopped pid {pid}.");
            return ExitCodes.Ok;
        }
        ProcessSignals.Send(pid, ProcessSignals.SigKill);
        await ProcessSignals.WaitForExitAsync(pid, TimeSpan.FromSeconds(5), ct: ct);
        TryDelete(path);
        error.WriteLine($"Pid {pid} did not exit within {wait.TotalSeconds:F0}s; sent SIGKILL.");
        return ExitCodes.Failure;
    }

    private static async Task<int> StopByIdAsync(ParseResult parse, string id, TimeSpan wait, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var services = await LocalServices.DiscoverAsync(parse, ct);
        if (services.FirstOrDefault(s => s.Record.Id == id) is { } service)
        {
            using var client = CommonOptions.CreateClient(parse, service.Url);
            return await ShutdownAsync(client, wait, output, error, ct);
        }
        // A kernel id or a unique prefix of one, as docker takes container ids (kernel ids are UUIDs).
        var matches = services.SelectMany(s => (s.Status?.Kernels ?? []).Where(k => k.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase))
            .Select(k => (Service: s, Kernel: k))).ToList();
        if (matches.Count > 1 && matches.Where(m => m.Kernel.Id.Equals(id, StringComparison.OrdinalIgnoreCase)).ToList() is [var exact]) matches = [exact];
        if (matches.Count > 1)
            throw new UserFacingException(
                $"'{id}' is the start of {matches.Count} kernel ids ({string.Join(", ", matches.Select(m => m.Kernel.Id))}); give more of the id.");
        if (matches.Count == 1)
        {
            var (host, kernel) = matches[0];
            using var client = CommonOptions.CreateClient(parse, host.Url);
            await DeleteKernelAsync(client, kernel.Id, ct);
            output.WriteLine($"Kernel {kernel.Id} stopped (service {host.Record.Id}).");
            return ExitCodes.Ok;
        }
        throw new UserFacingException(
            $"No kernel or service with id '{id}' runs on this machine ({services.Count} service(s) checked). List them with `llmspell kernel status`.",
            ExitCodes.NotFound);
    }

    private static async Task<int> StopAllAsync(ParseResult parse, TimeSpan wait, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var services = await LocalServices.DiscoverAsync(parse, ct);
        if (services.Count == 0)
        {
            output.WriteLine("No llmspell service is running on this machine.");
            return ExitCodes.Ok;
        }
        var results = await Task.WhenAll(services.Select(async s =>
        {
            using var client = CommonOptions.CreateClient(parse, s.Url);
            try
            {
                return await ShutdownAsync(client, wait, output, error, ct);
            }
            catch (UserFacingException e)
            {
                error.WriteLine($"{s.Record.Id}: {e.Message}");
                return e.ExitCode;
            }
        }));
        return results.Max();
    }

    private static async Task DeleteKernelAsync(ServiceClient client, string id, CancellationToken ct)
    {
        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"/api/kernels/{Uri.EscapeDataString(id)}"), ct);
        if (!response.IsSuccessStatusCode) throw await ServiceClient.ProblemAsync(response, ct);
    }

    /// <summary>POST /api/shutdown, then wait for the process to exit so the command returns when it is really gone.</summary>
    private static async Task<int> ShutdownAsync(ServiceClient client, TimeSpan wait, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var status = await client.GetAsync<ServiceStatus>("/api/status", ct);
        using (var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/api/shutdown"), ct))
        {
            if (!response.IsSuccessStatusCode) throw await ServiceClient.ProblemAsync(response, ct);
        }
        var address = client.BaseAddress.GetLeftPart(UriPartial.Authority);
        // The service may live in another PID namespace (container); then only the API can tell.
        if (!ProcessProbe.IsAlive(status.Pid) || await ProcessSignals.WaitForExitAsync(status.Pid, wait, ct: ct))
        {
            output.WriteLine($"Service {status.Id} at {address} stopped.");
            return ExitCodes.Ok;
        }
        error.WriteLine($"Service {status.Id} (pid {status.Pid}) at {address} is still shutting down after {wait.TotalSeconds:F0}s; use `llmspell kernel stop --pid-file` or SIGKILL.");
        return ExitCodes.Failure;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
