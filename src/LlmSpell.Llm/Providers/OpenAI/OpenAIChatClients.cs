using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmSpell.Llm.Providers.OpenAI;

/// <summary>
/// The official OpenAI SDK behind Microsoft.Extensions.AI: endpoint = base_url, our HttpClient as transport (so the
/// response cap applies), and the SDK's own retries and network timeout off, so that our pipeline is the only policy
/// and <see cref="ChatCallResult.Attempts"/> counts real HTTP attempts.
/// </summary>
internal static class OpenAIChatClients
{
    public static OpenAIClient CreateClient(HttpClient http, Uri endpoint, string apiKey) =>
        new(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http, enableLogging: false, loggerFactory: null),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            ClientLoggingOptions = new ClientLoggingOptions
            {
                EnableLogging = false, EnableMessageLogging = false, EnableMessageContentLogging = false,
            },
        });

    public static IChatClient ForModel(OpenAIClient client, string model) => client.GetChatClient(model).AsIChatClient();
}
