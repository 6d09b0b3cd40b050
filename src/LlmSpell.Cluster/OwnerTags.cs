using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LlmSpell.Cluster;

/// <summary>
/// A kernel id says which instance owns it: its first 8 hex digits are the owner's tag (a hash of its instance id),
/// so any instance routes a request for a kernel without asking anyone. The rest is random (a version 4 UUID shape).
/// </summary>
public static class OwnerTags
{
    public static uint Of(string instanceId) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(instanceId)));

    public static string NewKernelId(uint tag)
    {
        Span<byte> b = stackalloc byte[16];
        RandomNumberGenerator.Fill(b);
        BinaryPrimitives.WriteUInt32BigEndian(b, tag);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>The owner tag of a kernel id (or of a prefix of at least 8 hex digits).</summary>
    public static bool TryRead(string kernelId, out uint tag)
    {
        tag = 0;
        return kernelId.Length >= 8 && uint.TryParse(kernelId.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out tag);
    }

    public static string Format(uint tag) => tag.ToString("x8", CultureInfo.InvariantCulture);
}
