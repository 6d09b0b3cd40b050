using System.Diagnostics;

namespace LlmSpell.Service.Tests.Support;

internal static class DeadProcess
{
    /// <summary>A pid that belonged to a process which has exited and been reaped.</summary>
    public static int Pid()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exit 0"]))!;
        process.WaitForExit();
        return process.Id;
    }
}
