using System.Runtime.InteropServices;

namespace LlmSpell.Server.Config;

internal static partial class ProcessIdentity
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;
}
