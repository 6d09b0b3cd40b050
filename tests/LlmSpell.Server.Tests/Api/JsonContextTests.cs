using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmSpell.Server.Api;
using LlmSpell.Server.Health;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.Server.Tests.Api;

/// <summary>
/// Under Native AOT only <see cref="ApiJsonContext"/> can serialize the API's types: every endpoint's result type must be
/// in it, and it must write exactly what the reflection-based serializer wrote.
/// </summary>
public class JsonContextTests
{
    private static readonly JsonSerializerOptions SourceGenOnly = ApiJson.CreateOptions();

    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(-5));

    private static KernelModel Kernel(bool isDefault) => new("k-1", "llmspell", At, "idle", 2, At.AddMinutes(-1), 7, isDefault,
        isDefault ? "/run/kernel-é.json" : null, new KernelPorts("127.0.0.1", 1, 2, 3, 4, 5));

    public static TheoryData<object> Samples() =>
    [
        Kernel(true),
        new[] { Kernel(true), Kernel(false) },
        new StartKernelRequest("llmspell"),
        new ServiceStatus("svc", "1.0", 42, "running", At, 12.5, "http://127.0.0.1:9555", null, "/p.pid", null, "info", [Kernel(false)]),
        new ServiceStatistics(1.25, 10, 1, 1, 0, 5, 1, 0, 1, 1 << 20, 1 << 19, 3, 2, 1, 12, At, new LlmStatistics(3, 1, 120, 40, 2, 0.0125)),
        new[] { new ProviderModel("openai", "openai", "https://api.openai.com/v1", "gpt-4o-mini", "env:OPENAI_API_KEY", false) }.ToList(),
        new ReloadResult("/etc/llmspell.toml", [new ConfigChangeModel("log_level", "info", "debug", "yes"), new("x", null, null, "restart")], ["<warn> & \"quote\""]),
        new ShutdownAccepted("Service is shutting down"),
        new HealthResponse("degraded", "1.0", 3.5, 42, "svc", [new KernelHealth("k-1", "busy", 1.5), new KernelHealth("k-2", "idle", null)],
            new Dictionary<string, string?> { ["kernels"] = "1 kernel", ["DefaultKernel"] = null }),
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void SourceGeneratedJsonMatchesReflection(object sample)
    {
        var type = sample.GetType();
        Assert.Equal(JsonSerializer.Serialize(sample, type, Reflection), JsonSerializer.Serialize(sample, SourceGenOnly.GetTypeInfo(type)));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void SourceGeneratedJsonReadsBackTheSameShape(object sample)
    {
        var type = sample.GetType();
        var json = JsonSerializer.Serialize(sample, type, Reflection);
        var read = JsonSerializer.Deserialize(json, SourceGenOnly.GetTypeInfo(type));
        Assert.Equal(json, JsonSerializer.Serialize(read, type, Reflection));
    }

    [Fact]
    public void StartRequestBodyIsReadCaseInsensitivelyAsBefore()
    {
        const string json = """{"NAME": "llmspell"}""";
        Assert.Equal(JsonSerializer.Deserialize<StartKernelRequest>(json, Reflection),
            JsonSerializer.Deserialize(json, SourceGenOnly.TypeInfo<StartKernelRequest>()));
    }

    [Fact]
    public void EveryEndpointResultTypeIsInTheContext()
    {
        var handlers = typeof(ApiJson).Assembly.GetTypes()
            .Where(t => t == typeof(HealthEndpoints) || t.Namespace == typeof(ApiJson).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        var bodies = handlers.SelectMany(m => ResultValueTypes(m.ReturnType)).Distinct().ToList();

        Assert.Contains(typeof(HealthResponse), bodies);
        Assert.Contains(typeof(KernelModel[]), bodies);
        Assert.All(bodies, t => Assert.NotNull(ApiJsonContext.Default.GetTypeInfo(t)));
    }

    /// <summary>The T of every Ok&lt;T&gt;, Created&lt;T&gt;, JsonHttpResult&lt;T&gt;… inside a handler's (Task of) Results&lt;…&gt;.</summary>
    private static IEnumerable<Type> ResultValueTypes(Type type)
    {
        if (!type.IsGenericType) yield break;
        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValueHttpResult<>)))
        {
            yield return type.GetGenericArguments()[0];
            yield break;
        }
        foreach (var t in type.GetGenericArguments().SelectMany(ResultValueTypes)) yield return t;
    }
}
