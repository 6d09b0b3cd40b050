using System.Text;

namespace LlmSpell.Server.Security;

/// <summary>
/// <c>&lt;runtime dir&gt;/token-&lt;port&gt;</c>: the REST token of the service on that port, mode 0600, written once Kestrel
/// has bound and removed at shutdown, so the CLI of the same user (or root) finds it without configuration.
/// </summary>
public static class TokenFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathFor(string runtimeDirectory, int port) => Path.Combine(runtimeDirectory, $"token-{port}");

    /// <summary>Writes atomically (temp file created 0600, then renamed), so no reader ever sees a partial or wider-mode file.</summary>
    public static string Write(string runtimeDirectory, int port, string token)
    {
        if (!Directory.Exists(runtimeDirectory))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(runtimeDirectory);
            else Directory.CreateDirectory(runtimeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = PathFor(runtimeDirectory, port);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return path;
    }

    /// <summary>The token, or null when the file is missing or unreadable (another user's service).</summary>
    public static string? TryRead(string runtimeDirectory, int port)
    {
        try
        {
            var text = File.ReadAllText(PathFor(runtimeDirectory, port)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the file if it still holds <paramref name="token"/> (another service may have taken the port since).</summary>
    public static void Delete(string path, string token)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim() == token) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
