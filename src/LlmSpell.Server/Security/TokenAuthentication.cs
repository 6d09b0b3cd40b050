using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LlmSpell.Server.Security;

public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Authenticates <c>Authorization: token &lt;t&gt;</c> or <c>Authorization: Bearer &lt;t&gt;</c> against the service key.
/// Both sides are hashed with a per-process HMAC key and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// so neither the length nor any prefix of the secret shows in the timing. Failures answer one ProblemDetails whatever was wrong.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<TokenAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ServiceRuntime runtime, TokenVerifier verifier, IProblemDetailsService problems)
    : AuthenticationHandler<TokenAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "LlmSpellToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        // Browsers cannot set headers on a websocket: the upgrade may carry ?token= instead (as Jupyter's). Only there,
        // so the token does not end up in URLs (and access logs) of ordinary requests.
        if (string.IsNullOrEmpty(header) && Context.WebSockets.IsWebSocketRequest && Request.Query["token"].ToString() is { Length: > 0 } query)
            header = "token " + query;
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0) return Task.FromResult(AuthenticateResult.Fail("malformed Authorization header"));
        var scheme = header[..space];
        if (!scheme.Equals("token", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("unsupported Authorization scheme"));
        if (!verifier.Matches(header[(space + 1)..].Trim()))
            return Task.FromResult(AuthenticateResult.Fail("invalid token"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token-holder"), new Claim("service", runtime.ServiceId)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "token realm=\"llmspell\", Bearer realm=\"llmspell\"";
        await SecurityProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            "This endpoint requires the service token: send \"Authorization: token <token>\" (or Bearer). The llmspell CLI sends it automatically when it can read the token file or the configuration.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await SecurityProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "Forbidden",
            "The token is not allowed to use this endpoint.");
    }
}

/// <summary>Constant-time comparison of a presented token with the service key.</summary>
public sealed class TokenVerifier
{
    private readonly byte[] _hashKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _expected;

    public TokenVerifier(ServiceRuntime runtime) => _expected = Hash(runtime.Key);

    private byte[] Hash(string value) => HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(value));

    /// <summary>Equal-length MACs compared with FixedTimeEquals: the time taken does not depend on where the tokens differ.</summary>
    public bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(Hash(presented), _expected);
}
