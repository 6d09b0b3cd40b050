using System.Runtime.InteropServices;
using LlmSpell.Service.Native;

namespace LlmSpell.Service.Install;

/// <summary>Looks up local accounts (injectable so generators are testable without creating users).</summary>
public interface IServiceAccountLookup
{
    /// <summary>The account's primary group name, or null when the user does not exist.</summary>
    string? PrimaryGroupOf(string user);
}

/// <summary>Uses getpwnam/getgrgid, so NSS sources (LDAP, sssd) count too.</summary>
public sealed class SystemAccountLookup : IServiceAccountLookup
{
    // struct passwd starts with pw_name, pw_passwd (pointers), pw_uid, pw_gid on both glibc and macOS.
    private static readonly int GidOffset = (2 * IntPtr.Size) + sizeof(uint);

    public string? PrimaryGroupOf(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        var passwd = Libc.getpwnam(user);
        if (passwd == IntPtr.Zero)
        {
            return null;
        }

        var gid = (uint)Marshal.ReadInt32(passwd, GidOffset);
        var group = Libc.getgrgid(gid);
        return group == IntPtr.Zero ? user : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(group)) ?? user;
    }
}
