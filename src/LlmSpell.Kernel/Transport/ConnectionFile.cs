using System.Text.Json;

namespace LlmSpell.Kernel.Transport;

/// <summary>Reads and atomically writes Jupyter connection files.</summary>
internal static class ConnectionFile
{
    public static ConnectionInfo Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return JsonSerializer.Deserialize(bytes, KernelJson.Default.ConnectionInfo)
               ?? throw new InvalidDataException($"Connection file '{path}' is empty.");
    }

    /// <summary>Writes the file via a temp file in the same directory and a rename; mode 0600 on Unix.</summary>
    public static void Write(string path, ConnectionInfo info)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, info, KernelJson.Default.ConnectionInfo);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            TryDelete(temp);
            // A full disk or a read-only directory: say which file, so the operator can act on it.
            throw new IOException($"cannot write the connection file {full}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Source-generated JSON for the connection file (Native AOT has no reflection-based serializer).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ConnectionInfo))]
internal sealed partial class KernelJson : System.Text.Json.Serialization.JsonSerializerContext;
