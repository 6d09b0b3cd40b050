using System.Text;

namespace LlmSpell.Tools.Framework;

/// <summary>Text fields that carry bytes: "utf8" (the text itself), "hex" or "base64".</summary>
internal static class ByteEncodings
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Decode(ToolArguments arguments, string field, string text, string encoding)
    {
        switch (encoding)
        {
            case "utf8":
                return Encoding.UTF8.GetBytes(text);
            case "hex":
                try { return Convert.FromHexString(text.Replace(" ", "")); }
                catch (FormatException) { throw arguments.Error($"field '{field}' is not hex (pairs of 0-9 and a-f)."); }
            case "base64":
                try { return Convert.FromBase64String(text); }
                catch (FormatException) { throw arguments.Error($"field '{field}' is not valid base64."); }
            default:
                throw arguments.Error($"unknown encoding '{encoding}'; use utf8, hex or base64.");
        }
    }

    /// <summary>Bytes as text: "utf8" needs valid UTF-8 (else the message says to set <paramref name="field"/> to <paramref name="binaryEncoding"/>).</summary>
    public static string Encode(ToolArguments arguments, byte[] bytes, string encoding, string field, string binaryEncoding = "hex")
    {
        switch (encoding)
        {
            case "hex":
                return Convert.ToHexStringLower(bytes);
            case "base64":
                return Convert.ToBase64String(bytes);
            case "utf8":
                try { return StrictUtf8.GetString(bytes); }
                catch (DecoderFallbackException) { throw arguments.Error($"the bytes are not UTF-8 text; set {field} to \"{binaryEncoding}\"."); }
            default:
                throw arguments.Error($"unknown encoding '{encoding}'; use utf8, hex or base64.");
        }
    }
}
