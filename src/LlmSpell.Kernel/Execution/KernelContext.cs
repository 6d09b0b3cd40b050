using LlmSpell.Kernel.Lifecycle;
using LlmSpell.Kernel.Protocol;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Execution;

/// <summary>Services shared by the kernel's channels.</summary>
internal sealed class KernelContext
{
    public required KernelStartOptions Options { get; init; }
    public required ILoggerFactory LoggerFactory { get; init; }
    public required IKernelObserver Observer { get; init; }
    public required Messenger Messenger { get; init; }
    public required OutputStreams Streams { get; init; }
    public required HistoryStore History { get; init; }
    public required KernelStatus Status { get; init; }
}
