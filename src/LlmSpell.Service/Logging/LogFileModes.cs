namespace LlmSpell.Service.Logging;

/// <summary>Permissions from the deployment guide: log directory 0750, log files 0640.</summary>
public static class LogFileModes
{
    public const UnixFileMode Directory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
}
