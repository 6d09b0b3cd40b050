using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Hashing;

/// <summary>hash-calculator: digests (MD5, SHA-1, SHA-2), HMACs and checking a digest.</summary>
internal sealed class HashTool : SynchronousTool
{
    public override string Name => "hash-calculator";

    public override string Description =>
        "Hashes text or bytes with md5, sha1, sha256 (default), sha384 or sha512; hmac with a key; verify compares with an " +
        "expected digest (constant time). Returns {\"result\": digest} in hex (default) or base64, or {\"result\": true|false} for verify. " +
        "md5 and sha1 are for checksums only, not security.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["hash", "hmac", "verify"], "description": "Default hash." },
            "input": { "type": "string", "description": "What to hash." },
            "algorithm": { "type": "string", "enum": ["md5", "sha1", "sha256", "sha384", "sha512"], "description": "Default sha256." },
            "input_encoding": { "type": "string", "enum": ["utf8", "hex", "base64"], "description": "How input is written; default utf8 (text)." },
            "encoding": { "type": "string", "enum": ["hex", "base64"], "description": "Digest output; default hex." },
            "key": { "type": "string", "description": "hmac (and verify of an HMAC): the key, as UTF-8 text." },
            "expected": { "type": "string", "description": "verify: the digest to compare with, hex or base64 as encoding says." }
          },
          "required": ["input"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var operation = arguments.String("operation", "hash");
        var algorithm = arguments.String("algorithm", "sha256");
        var encoding = arguments.String("encoding", "hex");
        var input = ByteEncodings.Decode(arguments, "input", arguments.RequireString("input"), arguments.String("input_encoding", "utf8"));
        var key = operation == "hmac" ? arguments.RequireString("key") : arguments.OptionalString("key");
        var digest = key is null ? Hash(algorithm, input) : Hmac(algorithm, System.Text.Encoding.UTF8.GetBytes(key), input);

        if (operation != "verify")
            return new JsonObject { ["result"] = ByteEncodings.Encode(arguments, digest, encoding, "encoding"), ["algorithm"] = algorithm, ["encoding"] = encoding };

        var expected = ByteEncodings.Decode(arguments, "expected", arguments.RequireString("expected").Trim(), encoding);
        return new JsonObject { ["result"] = CryptographicOperations.FixedTimeEquals(digest, expected), ["algorithm"] = algorithm };
    }

    private static byte[] Hash(string algorithm, byte[] input) => algorithm switch
    {
        "md5" => MD5.HashData(input),
        "sha1" => SHA1.HashData(input),
        "sha384" => SHA384.HashData(input),
        "sha512" => SHA512.HashData(input),
        _ => SHA256.HashData(input),
    };

    private static byte[] Hmac(string algorithm, byte[] key, byte[] input) => algorithm switch
    {
        "md5" => HMACMD5.HashData(key, input),
        "sha1" => HMACSHA1.HashData(key, input),
        "sha384" => HMACSHA384.HashData(key, input),
        "sha512" => HMACSHA512.HashData(key, input),
        _ => HMACSHA256.HashData(key, input),
    };
}
