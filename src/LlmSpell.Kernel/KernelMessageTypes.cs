using System.Collections.Frozen;
using LlmSpell.Kernel.Control;
using LlmSpell.Kernel.Shell;
using LlmSpell.Kernel.Stdin;

namespace LlmSpell.Kernel;

/// <summary>The message types the kernel handles, per channel, read from its handler tables (e.g. for bounded metric labels).</summary>
public static class KernelMessageTypes
{
    public static IReadOnlySet<string> Shell => ShellChannel.KnownTypes;
    public static IReadOnlySet<string> Control => ControlChannel.KnownTypes;
    public static IReadOnlySet<string> Stdin => StdinBridge.KnownTypes;

    /// <summary>Every type known on any channel.</summary>
    public static IReadOnlySet<string> All { get; } = Shell.Concat(Control).Concat(Stdin).ToFrozenSet(StringComparer.Ordinal);
}
