using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmSpell.Service.Registry;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Registry;

/// <summary>The source-generated record files (AOT) are byte-identical to the reflection-based ones, both ways.</summary>
public class ServiceRecordJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    [Fact]
    public void Written_record_matches_the_reflection_serializer()
    {
        using var temp = new TempDir();
        var record = new ServiceRecord
        {
            Id = "abc", Pid = 42, Port = 9555, UrlScheme = "https", Host = "::1", ConnectionFile = "/k é.json",
            Started = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), Version = "1.0",
        };

        var path = new ServiceRegistry(temp.Combine("services"), isAlive: _ => true).Register(record);

        Assert.Equal(JsonSerializer.Serialize(record, Reflection), File.ReadAllText(path));
    }

    [Fact]
    public void A_record_without_optional_fields_reads_with_the_same_defaults()
    {
        using var temp = new TempDir();
        var registry = new ServiceRegistry(temp.Combine("services"), isAlive: _ => true);
        Directory.CreateDirectory(registry.ServicesDir);
        const string json = """{"id":"abc","pid":42,"port":9555,"started":"2025-01-02T03:04:05+00:00","version":"1.0","Host":"x"}""";
        File.WriteAllText(registry.PathFor("abc"), json);

        var read = Assert.Single(registry.List()).Record;

        Assert.Equal(JsonSerializer.Deserialize<ServiceRecord>(json, Reflection), read);
        Assert.Equal("http", read.UrlScheme);
        Assert.Equal("127.0.0.1", read.Host);
    }
}
