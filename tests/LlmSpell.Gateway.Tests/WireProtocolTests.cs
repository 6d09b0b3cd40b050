using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LlmSpell.Gateway.Wire;

namespace LlmSpell.Gateway.Tests;

public class WireProtocolTests
{
    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    private static readonly KernelMessageParts Reply = new("iopub", U("""{"msg_id":"m1","msg_type":"stream","session":"k"}"""),
        U("""{"msg_id":"p1","msg_type":"execute_request"}"""), U("{}"), U("""{"name":"stdout","text":"hi"}"""), []);

    [Fact]
    public void Legacy_text_carries_the_parts_verbatim_with_top_level_msg_id_type_and_channel()
    {
        var (payload, text) = LegacyProtocol.Encode(Reply);
        Assert.True(text);
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        Assert.Equal("m1", root.GetProperty("msg_id").GetString());
        Assert.Equal("stream", root.GetProperty("msg_type").GetString());
        Assert.Equal("iopub", root.GetProperty("channel").GetString());
        Assert.Equal("p1", root.GetProperty("parent_header").GetProperty("msg_id").GetString());
        Assert.Equal("hi", root.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(0, root.GetProperty("buffers").GetArrayLength());
    }

    [Fact]
    public void Legacy_binary_round_trips_buffers_with_big_endian_offsets()
    {
        var withBuffers = Reply with { Buffers = [[1, 2, 3], [], [255]] };
        var (payload, text) = LegacyProtocol.Encode(withBuffers);
        Assert.False(text);
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32BigEndian(payload));
        var first = (int)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4));
        Assert.Equal(4 * 5, first);

        // A client's binary message in the same format, with a channel, decodes back to the same parts.
        var clientJson = """{"header":{"msg_id":"c1","msg_type":"comm_msg"},"parent_header":{},"metadata":{},"content":{"x":1},"channel":"shell"}""";
        var decoded = LegacyProtocol.DecodeBinary(Binary(U(clientJson), [1, 2, 3], [9]));
        Assert.Equal("shell", decoded.Channel);
        Assert.Equal("""{"msg_id":"c1","msg_type":"comm_msg"}""", Encoding.UTF8.GetString(decoded.Header));
        Assert.Equal([[1, 2, 3], [9]], decoded.Buffers.Select(b => b.ToArray()).ToArray());
    }

    private static byte[] Binary(params byte[][] parts)
    {
        var header = 4 * (parts.Length + 1);
        var result = new byte[header + parts.Sum(p => p.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(result, (uint)parts.Length);
        var offset = header;
        for (var i = 0; i < parts.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(4 * (i + 1)), (uint)offset);
            parts[i].CopyTo(result, offset);
            offset += parts[i].Length;
        }
        return result;
    }

    [Fact]
    public void V1_round_trips_channel_parts_and_buffers()
    {
        var request = new KernelMessageParts("control", U("""{"msg_id":"c2","msg_type":"interrupt_request"}"""), U("{}"), U("{}"), U("{}"), [[7, 7]]);
        var payload = V1Protocol.Encode(request);
        // n = channel start + 5 part starts + end = 7 offsets; the first points just past the table.
        Assert.Equal(7ul, BinaryPrimitives.ReadUInt64LittleEndian(payload));
        Assert.Equal(8ul * 8, BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(8)));
        var decoded = V1Protocol.Decode(payload);
        Assert.Equal("control", decoded.Channel);
        Assert.Equal(request.Header, decoded.Header);
        Assert.Equal([7, 7], Assert.Single(decoded.Buffers));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("""{"header":{"msg_id":"x"},"channel":"shell"}""", "msg_id and msg_type")]
    [InlineData("""{"header":{"msg_id":"x","msg_type":"t"},"channel":"iopub"}""", "channel must be")]
    [InlineData("""{"header":{"msg_id":"x","msg_type":"t"},"content":[1]}""", "content must be a JSON object")]
    [InlineData("""{"header":{"msg_id":"x","msg_type":"t","msg_id":"y"}}""", "not valid JSON")]
    public void Invalid_legacy_messages_are_refused_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<GatewayProtocolException>(() => LegacyProtocol.DecodeText(U(json)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Invalid_binary_framing_is_refused_not_read_out_of_bounds()
    {
        Assert.Throws<GatewayProtocolException>(() => LegacyProtocol.DecodeBinary(new byte[3]));
        var lying = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(lying, 1000);
        Assert.Contains("cannot hold", Assert.Throws<GatewayProtocolException>(() => LegacyProtocol.DecodeBinary(lying)).Message);
        var backwards = Binary(U("{}"), U("x"));
        BinaryPrimitives.WriteUInt32BigEndian(backwards.AsSpan(8), 2);
        Assert.Throws<GatewayProtocolException>(() => LegacyProtocol.DecodeBinary(backwards));

        var v1 = V1Protocol.Encode(new KernelMessageParts("shell", U("""{"msg_id":"a","msg_type":"b"}"""), U("{}"), U("{}"), U("{}"), []));
        BinaryPrimitives.WriteUInt64LittleEndian(v1, ulong.MaxValue);
        Assert.Throws<GatewayProtocolException>(() => V1Protocol.Decode(v1));
        var wrongChannel = V1Protocol.Encode(new KernelMessageParts("iopub", U("""{"msg_id":"a","msg_type":"b"}"""), U("{}"), U("{}"), U("{}"), []));
        Assert.Contains("channel", Assert.Throws<GatewayProtocolException>(() => V1Protocol.Decode(wrongChannel)).Message);
    }
}
