using System.Text.Json.Serialization;
using LlmSpell.Server.Health;
using Microsoft.AspNetCore.Mvc;

namespace LlmSpell.Server.Api;

/// <summary>
/// Source-generated JSON for everything the REST API reads and writes (and the CLI reads back): Native AOT has no
/// reflection-based serializer, so a type missing here fails at run time. Names are snake_case, as <see cref="ApiJson"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KernelModel))]
[JsonSerializable(typeof(KernelModel[]))]
[JsonSerializable(typeof(LlmSpell.Server.Cluster.ClusterOverview))]
[JsonSerializable(typeof(LlmSpell.Cluster.ClusterMember))]
[JsonSerializable(typeof(StartKernelRequest))]
[JsonSerializable(typeof(ServiceStatus))]
[JsonSerializable(typeof(ServiceStatistics))]
[JsonSerializable(typeof(LlmStatistics))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(ShutdownAccepted))]
[JsonSerializable(typeof(ProviderModel))]
[JsonSerializable(typeof(List<ProviderModel>))]
[JsonSerializable(typeof(KernelSpecList))]
[JsonSerializable(typeof(KernelSpecModel))]
[JsonSerializable(typeof(ApiVersion))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
