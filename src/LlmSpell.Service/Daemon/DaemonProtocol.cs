namespace LlmSpell.Service.Daemon;

/// <summary>
/// The launcher ↔ daemon-child readiness handshake.
/// The launcher sets <see cref="ChildVariable"/>=1 and <see cref="NotifyVariable"/>=&lt;file path&gt;;
/// the child creates that file (atomically, or in one write) with one of
/// <c>READY &lt;pid&gt;\n</c> or <c>FAILED &lt;message&gt;\n</c>.
/// </summary>
public static class DaemonProtocol
{
    public const string ChildVariable = "LLMSPELL_DAEMON_CHILD";

    public const string NotifyVariable = "LLMSPELL_DAEMON_NOTIFY";

    public const string DaemonFlag = "--daemon";

    internal const string ReadyPrefix = "READY ";

    internal const string FailedPrefix = "FAILED ";
}
