namespace LlmSpell.State.Sqlite;

/// <summary>Creates the state file and its directory before SQLite opens it, so they get private modes (SQLite would use 0644).</summary>
internal static class StateFile
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateIfMissing(string path)
    {
        if (Directory.Exists(path))
            throw new StateException($"The state path '{path}' is a directory; point the state path at a file inside it, e.g. '{System.IO.Path.Combine(path, "state.db")}'.");

        var directory = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.Exists(directory)) Directory.CreateDirectory(directory, PrivateDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateException($"Cannot create the state directory '{directory}': {e.Message} Create it, or point the state path at a writable place.", e);
        }

        if (File.Exists(path)) return;
        try
        {
            // OpenOrCreate: another process may create the file at the same moment; UnixCreateMode applies only when we create it.
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFile,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateException($"Cannot create the state file '{path}': {e.Message} Fix the directory's permissions, or point the state path at a writable place.", e);
        }
    }
}
