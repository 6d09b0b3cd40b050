using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.Llm.Calls;
using LlmSpell.Llm.Providers.Anthropic;
using LlmSpell.Llm.Providers.Http;

namespace LlmSpell.Llm.Providers;

/// <summary>`providers check`: one cheap real call per provider (list models), reported rather than thrown.</summary>
internal static class ProviderChecks
{
    public static async Task<ProviderCheckResult> CheckAsync(ProviderRuntime provider, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string? key = null;
        var timeout = TimeSpan.FromSeconds(provider.Settings.TimeoutSeconds > 0 ? provider.Settings.TimeoutSeconds : 30);
        try
        {
            var baseUri = provider.BaseUri;
            key = provider.ResolveKey();
            using var request = Request(provider.Settings.Type, baseUri, key);
            using var timeoutCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutCancellation.CancelAfter(timeout);
            using var response = await JsonHttp.SendAsync(provider.Http, request, timeoutCancellation.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeoutCancellation.Token).ConfigureAwait(false);
            return Result(true, $"reachable at {baseUri}: {ModelCount(body)}");
        }
        catch (LlmException e)
        {
            return Result(false, e.Message);
        }
        catch (ProviderStatusException e)
        {
            var hint = e.StatusCode is 401 or 403 ? $"; check the key ({ApiKeys.Source(provider.Settings)})" : "";
            return Result(false, $"HTTP {e.StatusCode}: {e.ProviderMessage}{hint}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(false, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return Result(false, $"cannot reach {provider.Settings.BaseUrl}: {e.Message}");
        }

        ProviderCheckResult Result(bool ok, string message) =>
            new(provider.Name, ok, Secrets.Redact(message, key), watch.ElapsedMilliseconds);
    }

    private static HttpRequestMessage Request(string type, Uri baseUri, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, type switch
        {
            ProviderTypes.OpenAI => Endpoints.Append(baseUri, "models"),
            ProviderTypes.Anthropic => Endpoints.Append(baseUri, "v1/models"),
            _ => Endpoints.Append(baseUri, "api/tags"),
        });
        if (type == ProviderTypes.Anthropic)
        {
            if (key is not null) request.Headers.TryAddWithoutValidation("x-api-key", key);
            request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicChatClient.ApiVersion);
        }
        else if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    // {"data":[...]} (OpenAI, Anthropic) or {"models":[...]} (Ollama).
    private static string ModelCount(string body)
    {
        using var document = JsonDocument.Parse(body);
        foreach (var name in (ReadOnlySpan<string>)["data", "models"])
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var list) &&
                list.ValueKind == JsonValueKind.Array)
                return list.GetArrayLength() == 1 ? "1 model" : $"{list.GetArrayLength()} models";
        return "answered";
    }
}
