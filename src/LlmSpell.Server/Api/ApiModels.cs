using LlmSpell.Kernel;
using LlmSpell.Server.Kernels;

namespace LlmSpell.Server.Api;

/// <summary>Jupyter Server's kernel model (id, name, last_activity, execution_state, connections) plus llmspell's own fields.</summary>
public sealed record KernelModel(
    string Id,
    string Name,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(JupyterTimestampConverter))] DateTimeOffset LastActivity,
    string ExecutionState,
    int Connections,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(JupyterTimestampConverter))] DateTimeOffset Started,
    int ExecutionCount,
    bool Default,
    string? ConnectionFile,
    KernelPorts Ports,
    string? Username = null,
    string? Instance = null)
{
    /// <summary>connections counts open gateway websockets plus direct ZeroMQ clients. A prespawned kernel was started before it was handed out: started, last activity and user are the handout's.</summary>
    public static KernelModel From(JupyterKernel k, KernelManager kernels) => new(
        k.Id, "llmspell", kernels.LastActivityOf(k), k.State.ToWire(), k.ConnectedClients + kernels.WebsocketsOf(k), kernels.StartedAtOf(k), k.ExecutionCount,
        k.Id == kernels.DefaultKernelId, k.ConnectionFilePath,
        new KernelPorts(k.Connection.Ip, k.Connection.ShellPort, k.Connection.IopubPort, k.Connection.StdinPort, k.Connection.ControlPort, k.Connection.HbPort),
        kernels.UsernameOf(k), kernels.ClusterInstance);
}

public sealed record KernelPorts(string Ip, int Shell, int Iopub, int Stdin, int Control, int Hb);

/// <summary>Jupyter Server's POST /api/kernels body; of env only the KERNEL_* allow-list is used (see Kernels.KernelLaunch).</summary>
public sealed record StartKernelRequest(string? Name, Dictionary<string, string?>? Env = null);

public sealed record ServiceStatus(
    string Id,
    string Version,
    int Pid,
    string State,
    DateTimeOffset Started,
    double UptimeSeconds,
    string? HttpUrl,
    string? ConfigFile,
    string? PidFile,
    string? LogFile,
    string LogLevel,
    IReadOnlyList<KernelModel> Kernels);

public sealed record ServiceStatistics(
    double UptimeSeconds,
    long Requests,
    long RequestErrors,
    int Kernels,
    int KernelsBusy,
    long Executions,
    long ExecutionErrors,
    long RejectedMessages,
    int ConnectedClients,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    int Threads,
    DateTimeOffset LastActivity,
    LlmStatistics Llm);

/// <summary>Provider calls since the service started (what llmspell_llm_* count, summed).</summary>
public sealed record LlmStatistics(long Requests, long Errors, long InputTokens, long OutputTokens, long Retries, double CostUsd);

public sealed record ReloadResult(string? ConfigFile, IReadOnlyList<ConfigChangeModel> Changes, IReadOnlyList<string> Warnings);

public sealed record ConfigChangeModel(string Key, string? Old, string? New, string Applied);

public sealed record ShutdownAccepted(string Message);
