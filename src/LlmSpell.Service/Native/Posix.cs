using System.Runtime.InteropServices;

namespace LlmSpell.Service.Native;

/// <summary>The few libc calls other projects need, through the one binding that resolves libc reliably.</summary>
public static class Posix
{
    private const int WriteOk = 2;
    private const int ReadOk = 4;

    public static int ParentProcessId()
    {
        Libc.EnsureInitialized();
        return Libc.getppid();
    }

    /// <summary>
    /// If <paramref name="signal"/> is ignored (SIG_IGN survives exec: <c>nohup</c> ignores SIGHUP), sets it back to
    /// SIG_DFL so a handler can be installed, and returns true. A signal with any other disposition is left alone.
    /// </summary>
    public static bool UnignoreSignal(int signal)
    {
        Libc.EnsureInitialized();
        // struct sigaction starts with the handler on Linux and macOS; the buffer is larger than either struct.
        var current = Marshal.AllocHGlobal(512);
        try
        {
            if (Libc.sigaction(signal, IntPtr.Zero, current) != 0 || Marshal.ReadIntPtr(current) != Libc.SIG_IGN) return false;
        }
        finally
        {
            Marshal.FreeHGlobal(current);
        }
        return Libc.signal(signal, Libc.SIG_DFL) != -1;
    }

    /// <summary>access(2) W_OK: whether this process may write to <paramref name="path"/>.</summary>
    public static bool IsWritable(string path)
    {
        Libc.EnsureInitialized();
        return Libc.access(path, WriteOk) == 0;
    }

    /// <summary>access(2) R_OK on an existing file.</summary>
    public static bool CanRead(string path)
    {
        Libc.EnsureInitialized();
        return File.Exists(path) && Libc.access(path, ReadOk) == 0;
    }
}
