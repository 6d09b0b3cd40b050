using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Base64;

/// <summary>base64-encoder: standard and URL-safe base64, both ways.</summary>
internal sealed class Base64Tool : SynchronousTool
{
    public override string Name => "base64-encoder";

    public override string Description =>
        "Base64: encode text (or hex bytes) or decode base64 back to text (or hex). url_safe uses - and _ instead of + and / " +
        "and, unless padding is set, no = padding. Decoding accepts missing padding and whitespace. Returns {\"result\": \"...\"}.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["encode", "decode"] },
            "input": { "type": "string", "description": "encode: the text (or hex bytes, see input_encoding); decode: the base64." },
            "url_safe": { "type": "boolean", "description": "The URL and file name safe alphabet (RFC 4648 section 5); default false." },
            "padding": { "type": "boolean", "description": "encode: end with = padding; default true, false when url_safe." },
            "input_encoding": { "type": "string", "enum": ["utf8", "hex"], "description": "encode: how input is written; default utf8." },
            "output_encoding": { "type": "string", "enum": ["utf8", "hex"], "description": "decode: the decoded bytes as utf8 text (default) or hex." }
          },
          "required": ["operation", "input"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var input = arguments.RequireString("input");
        var urlSafe = arguments.Boolean("url_safe", false);
        if (arguments.RequireString("operation") == "encode")
        {
            var bytes = ByteEncodings.Decode(arguments, "input", input, arguments.String("input_encoding", "utf8"));
            return new JsonObject { ["result"] = Encode(bytes, urlSafe, arguments.Boolean("padding", !urlSafe)) };
        }
        var decoded = Decode(arguments, input, urlSafe);
        return new JsonObject { ["result"] = ByteEncodings.Encode(arguments, decoded, arguments.String("output_encoding", "utf8"), "output_encoding") };
    }

    private static string Encode(byte[] bytes, bool urlSafe, bool padding)
    {
        var text = Convert.ToBase64String(bytes);
        if (urlSafe) text = text.Replace('+', '-').Replace('/', '_');
        return padding ? text : text.TrimEnd('=');
    }

    private static byte[] Decode(ToolArguments arguments, string input, bool urlSafe)
    {
        var text = string.Concat(input.Where(c => !char.IsWhiteSpace(c))).TrimEnd('=');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c)) continue;
            if (urlSafe ? c is '-' or '_' : c is '+' or '/') continue;
            var hint = !urlSafe && c is '-' or '_' ? "; it looks URL-safe, set url_safe to true"
                : urlSafe && c is '+' or '/' ? "; it looks like standard base64, set url_safe to false"
                : "";
            throw arguments.Error($"the input is not valid base64: unexpected '{c}' at position {i + 1}{hint}.");
        }
        if (text.Length % 4 == 1)
            throw arguments.Error($"the input is not valid base64: {text.Length} characters (without padding) cannot encode whole bytes.");
        if (urlSafe) text = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
    }
}
