using System.Text.Json;

namespace LlmSpell.Server.Api;

/// <summary>The REST API's JSON conventions (snake_case names), shared by the endpoints and the CLI client.</summary>
public static class ApiJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
    }

    /// <summary>The metadata of <typeparamref name="T"/> from <paramref name="options"/>' resolvers (no reflection).</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    /// <summary>Web defaults (case-insensitive reads) plus <see cref="Apply"/>.</summary>
    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        return options;
    }
}
