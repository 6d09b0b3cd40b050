namespace LlmSpell.Tools.Tests.Tools;

public sealed class HashTests
{
    [Theory]
    [InlineData("md5", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
    public async Task KnownDigestsOfAbc(string algorithm, string expected) => Assert.Equal(expected,
        (await ToolRunner.ResultAsync("hash-calculator", $$"""{"input": "abc", "algorithm": "{{algorithm}}"}""")).GetString());

    [Fact]
    public async Task Sha256IsTheDefaultAndBase64IsAvailable()
    {
        var result = await ToolRunner.RunAsync("hash-calculator", """{"input": "abc", "encoding": "base64"}""");
        Assert.Equal("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", result.GetProperty("result").GetString());
        Assert.Equal("sha256", result.GetProperty("algorithm").GetString());
    }

    [Fact]
    public async Task InputCanBeBytesInHexOrBase64()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            (await ToolRunner.ResultAsync("hash-calculator", """{"input": "616263", "input_encoding": "hex"}""")).GetString());
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            (await ToolRunner.ResultAsync("hash-calculator", """{"input": "YWJj", "input_encoding": "base64"}""")).GetString());
    }

    [Fact]
    public async Task HmacOfTheRfc4231Example() => Assert.Equal( // RFC 4231 test case 2
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        (await ToolRunner.ResultAsync("hash-calculator", """{"operation": "hmac", "key": "Jefe", "input": "what do ya want for nothing?"}""")).GetString());

    [Fact]
    public async Task VerifyComparesWithTheExpectedDigest()
    {
        Assert.True((await ToolRunner.ResultAsync("hash-calculator",
            """{"operation": "verify", "input": "abc", "algorithm": "md5", "expected": "900150983CD24FB0D6963F7D28E17F72"}""")).GetBoolean());
        Assert.False((await ToolRunner.ResultAsync("hash-calculator",
            """{"operation": "verify", "input": "abd", "algorithm": "md5", "expected": "900150983cd24fb0d6963f7d28e17f72"}""")).GetBoolean());
        Assert.True((await ToolRunner.ResultAsync("hash-calculator",
            """{"operation": "verify", "key": "Jefe", "input": "what do ya want for nothing?", "expected": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"}""")).GetBoolean());
    }

    [Theory]
    [InlineData("""{"operation": "hmac", "input": "x"}""", "hash-calculator: operation 'hmac' needs the field 'key'.")]
    [InlineData("""{"operation": "verify", "input": "x"}""", "hash-calculator: operation 'verify' needs the field 'expected'.")]
    [InlineData("""{"input": "zz", "input_encoding": "hex"}""", "hash-calculator: field 'input' is not hex (pairs of 0-9 and a-f).")]
    [InlineData("""{"operation": "verify", "input": "x", "expected": "not hex"}""", "hash-calculator: field 'expected' is not hex (pairs of 0-9 and a-f).")]
    [InlineData("""{"input": "x", "algorithm": "crc32"}""", "hash-calculator: field 'algorithm' must be one of: md5, sha1, sha256, sha384, sha512; got 'crc32'.")]
    public async Task BadInputIsExplained(string arguments, string message) =>
        Assert.Equal(message, await ToolRunner.FailureAsync("hash-calculator", arguments));
}
