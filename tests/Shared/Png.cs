using System.Buffers.Binary;

namespace LlmSpell.Tests.Shared;

/// <summary>Reads a PNG's size from its header (compiled into several test projects).</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height from the IHDR chunk, which must follow the 8-byte signature; fails the test otherwise.</summary>
    public static (int Width, int Height) Size(byte[] png, string what)
    {
        Assert.True(png.Length > 24 && png.AsSpan(0, 8).SequenceEqual(Signature), $"{what} is not a PNG (no PNG signature)");
        Assert.True(System.Text.Encoding.ASCII.GetString(png, 12, 4) == "IHDR", $"{what} does not start with an IHDR chunk");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}
