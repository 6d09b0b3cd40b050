using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LlmSpell.Server.Api;

/// <summary>The document's title, version and the prose that no operation can carry: authentication and the kernel WebSocket.</summary>
public static class OpenApiInfo
{
    public const string Description = """
        Control plane of the LLMSpell kernel service: kernels, kernelspecs, status, statistics, reload, shutdown, health. A Jupyter Server started with `--gateway-url http://HOST:PORT` (the token in `JUPYTER_GATEWAY_AUTH_TOKEN`) uses it as its kernel gateway.

        **Authentication.** Every operation under /api except `GET /api`, and the kernelspec resources under /kernelspecs, need the service token: the `token-<port>` file in the service's runtime directory (mode 0600), or the configured `security.hmac_key`. Send `Authorization: token <t>` or `Authorization: Bearer <t>`. In Swagger UI press **Authorize** and enter `token <t>` under "token" (or the token alone under "bearer"). The health probes need no token.

        **Kernel WebSocket.** `GET /api/kernels/{kernel_id}/channels?session_id=<id>` upgrades to a WebSocket that carries the kernel's Jupyter messages (shell, control and stdin from the client; iopub, shell, control and stdin replies to it) as Jupyter Server's kernel channels do. The token goes in the handshake's Authorization header or, for browsers, `?token=<t>`; a foreign Origin is refused (403). Frames use Jupyter's legacy protocol (one JSON text message per Jupyter message, with `channel`; a binary message with big-endian offsets when there are buffers) or, when the client offers the subprotocol `v1.kernel.websocket.jupyter.org`, that binary protocol. Each connection gets only its own replies and every iopub message. Close codes: 1001 when the kernel or the service stops, 1007 for an invalid message (the reason names the problem), 1009 for a message over security.max_message_size_mb; a client that stops reading is dropped. It is not listed below because it is not a request-response operation (Swagger UI cannot try it).
        """;

    public static Task ApplyAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "LLMSpell kernel service";
        document.Info.Version = ServiceRuntime.Version;
        document.Info.Description = Description;
        return Task.CompletedTask;
    }
}
