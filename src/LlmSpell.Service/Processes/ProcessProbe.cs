using System.Runtime.InteropServices;
using System.Text;
using LlmSpell.Service.Native;

namespace LlmSpell.Service.Processes;

/// <summary>Checks whether a pid still refers to a live (llmspell) process.</summary>
public static class ProcessProbe
{
    /// <summary>Command-line fragments that identify an llmspell kernel process.</summary>
    public static readonly IReadOnlyList<string> DefaultMarkers = ["llmspell"];

    /// <summary>True when a process with this pid exists (zombies included), even if owned by another user.</summary>
    public static bool Exists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (Libc.kill(pid, 0) == 0)
        {
            return true;
        }

        return Marshal.GetLastPInvokeError() == Libc.EPERM;
    }

    /// <summary>
    /// True when the pid is running and, where /proc is available, its command line contains one of
    /// <paramref name="markers"/> (case-insensitive); this rejects pids recycled by unrelated programs.
    /// </summary>
    public static bool IsAlive(int pid, IReadOnlyList<string>? markers = null)
    {
        if (!Exists(pid))
        {
            return false;
        }

        var procDir = $"/proc/{pid}";
        if (!Directory.Exists("/proc/self"))
        {
            return true;
        }

        string commandLine;
        try
        {
            commandLine = Encoding.UTF8.GetString(File.ReadAllBytes($"{procDir}/cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // hidepid=/ProtectProc= hides foreign processes; existence is all we can know.
            return true;
        }

        // A zombie has an empty command line: it has exited and only awaits reaping.
        if (commandLine.Length == 0)
        {
            return false;
        }

        return (markers ?? DefaultMarkers).Any(m => commandLine.Contains(m, StringComparison.OrdinalIgnoreCase));
    }
}
