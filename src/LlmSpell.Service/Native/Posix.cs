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
