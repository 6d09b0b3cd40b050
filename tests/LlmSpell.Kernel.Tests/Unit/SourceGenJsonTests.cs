using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Transport;

namespace LlmSpell.Kernel.Tests.Unit;

/// <summary>The source-generated JSON paths (AOT) write exactly the bytes the reflection-based serializer wrote.</summary>
public class SourceGenJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static JsonObject SampleContent() => new()
    {
        ["status"] = "ok",
        ["text"] = "é <b>&'\"\\\n\t\u0001 ✓ 😀",
        ["count"] = 42,
        ["ratio"] = 0.1,
        ["big"] = long.MaxValue,
        ["flag"] = false,
        ["none"] = null,
        ["list"] = Json.Array(["a", "b"]),
        ["nested"] = new JsonObject { ["empty"] = new JsonArray(), ["obj"] = new JsonObject() },
        ["parsed"] = JsonNode.Parse("""{"x": [1, 2.50, "y"]}"""),
    };

    [Fact]
    public void WireBytesMatchReflectionSerializer()
    {
        var content = SampleContent();
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes<JsonNode>(content, Reflection), WireCodec.Serialize(content));
    }

    [Fact]
    public void WireBytesMatchLiteral()
    {
        var content = new JsonObject { ["text"] = "é <b>&'\"\n ✓", ["n"] = 1, ["tb"] = Messenger.ErrorContent("E", "v", ["l1"])["traceback"]!.DeepClone() };
        Assert.Equal("""{"text":"é <b>&'\"\n ✓","n":1,"tb":["l1"]}""", Encoding.UTF8.GetString(WireCodec.Serialize(content)));
    }

    [Fact]
    public void SignatureOverSourceGenBytesIsUnchanged()
    {
        var signer = new MessageSigner("secret-key");
        var content = SampleContent();
        var expected = signer.Sign([JsonSerializer.SerializeToUtf8Bytes<JsonNode>(content, Reflection)]);
        Assert.Equal(expected, signer.Sign([WireCodec.Serialize(content)]));
    }

    [Theory]
    [InlineData("""{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"ip":"0.0.0.0","key":"k","transport":"tcp","signature_scheme":"hmac-sha256"}""")]
    [InlineData("""{"shell_port":1}""")]
    [InlineData("""{"Shell_Port":9,"extra":true,"kernel_name":"x"}""")]
    public void ConnectionFileReadsAndWritesAsBefore(string json)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "c.json");
        File.WriteAllText(path, json);
        var info = ConnectionFile.Read(path);
        Assert.Equal(JsonSerializer.Deserialize<ConnectionInfo>(json, new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }), info);

        ConnectionFile.Write(path, info);
        var reflection = new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Assert.Equal(JsonSerializer.Serialize(info, reflection), File.ReadAllText(path));
    }
}
