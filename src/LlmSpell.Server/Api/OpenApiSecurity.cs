using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LlmSpell.Server.Api;

/// <summary>
/// Declares the service token in the OpenAPI document, so Swagger UI's Authorize dialog can send it: an API key in the
/// Authorization header (value "token &lt;t&gt;") or HTTP bearer ("Bearer &lt;t&gt;"), the two forms
/// <see cref="Security.TokenAuthenticationHandler"/> accepts. Every operation whose endpoint requires authorization
/// (and allows no anonymous caller) gets both as alternative requirements; the others (health, GET /api) get none.
/// </summary>
public static class OpenApiSecurity
{
    public const string TokenScheme = "token";
    public const string BearerScheme = "bearer";

    public static Task DeclareTokenAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSecurityScheme>(TokenScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "The service token as Jupyter sends it: enter `token <t>` (the word token, a space, then the token from the `token-<port>` file or `security.hmac_key`).",
        });
        document.AddComponent<IOpenApiSecurityScheme>(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same service token as a bearer token: enter the token alone; it is sent as `Bearer <t>`.",
        });

        var secured = context.DescriptionGroups.SelectMany(g => g.Items)
            .Where(d => RequiresToken(d.ActionDescriptor.EndpointMetadata))
            .Select(d => d.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            if (operation.OperationId is not { } id || !secured.Contains(id)) continue;
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(TokenScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            ];
        }
        return Task.CompletedTask;
    }

    private static bool RequiresToken(IList<object> metadata) =>
        metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
}
