using System.Diagnostics;
using System.Runtime.ExceptionServices;
using LlmSpell.Llm.Providers.Http;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Calls;

/// <summary>The outcome of one request (one round of the call loop): the reply, its HTTP attempts, and when the first text came.</summary>
internal sealed record RoundResult(ChatResponse Response, int Attempts, TimeSpan? TimeToFirstToken);

/// <summary>
/// Sends one request through the provider's pipeline, streamed or not, and reports its end to the observer.
/// A stream that fails before any text reached the script may be retried; after that it is not (the script would see
/// the text twice). A stream that sends nothing for the idle timeout is cut.
/// </summary>
internal sealed class RoundSender(CallTarget target, IChatCallbacks callbacks, ILlmObserver? observer)
{
    public async Task<RoundResult> SendAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, bool stream,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var attempts = 0;
        TimeSpan? firstToken = null;
        try
        {
            var response = await target.Pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                if (!stream) return await target.Client.GetResponseAsync(messages, options, token).ConfigureAwait(false);
                return await StreamAsync(messages, options, text =>
                {
                    firstToken ??= watch.Elapsed;
                    try { callbacks.OnText(text); }
                    catch (Exception e) { throw new CallbackFailedException(e); }
                }, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            Report("ok", watch.Elapsed, firstToken, response.Usage);
            return new RoundResult(response, attempts, firstToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Report("cancelled", watch.Elapsed, firstToken, usage: null);
            throw;
        }
        catch (CallbackFailedException e)
        {
            // The script's own failure: it goes back to the script as it was thrown, never retried or reworded.
            Report("error", watch.Elapsed, firstToken, usage: null);
            ExceptionDispatchInfo.Throw(e.InnerException!);
            throw;
        }
        catch (Exception e)
        {
            Report("error", watch.Elapsed, firstToken, usage: null);
            throw CallFailures.ToLlmException(target, e, attempts, stream);
        }
    }

    private async Task<ChatResponse> StreamAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, Action<string> onText,
        CancellationToken token)
    {
        var updates = new List<ChatResponseUpdate>();
        var emitted = false;
        var idle = target.StreamIdleTimeout;
        using var idleCancellation = CancellationTokenSource.CreateLinkedTokenSource(token);
        idleCancellation.CancelAfter(idle);
        try
        {
            await foreach (var update in target.Client.GetStreamingResponseAsync(messages, options, idleCancellation.Token)
                               .WithCancellation(idleCancellation.Token).ConfigureAwait(false))
            {
                // A cancelled call sends no more text, even what was already buffered.
                idleCancellation.Token.ThrowIfCancellationRequested();
                idleCancellation.CancelAfter(idle);
                updates.Add(update);
                var text = update.Text;
                if (text.Length == 0) continue;
                emitted = true;
                onText(text);
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested && idleCancellation.IsCancellationRequested)
        {
            throw AfterOutput(new StreamIdleException(idle), emitted);
        }
        catch (Exception e) when (emitted && e is not (OperationCanceledException or OutputAlreadyStreamedException or CallbackFailedException))
        {
            throw new OutputAlreadyStreamedException(e);
        }
        var response = updates.ToChatResponse();
        // Every API ends a complete stream with a finish reason; without one the connection was cut short.
        if (response.FinishReason is null)
            throw AfterOutput(new StreamEndedEarlyException("the stream ended without a finish reason"), emitted);
        return response;
    }

    private static Exception AfterOutput(Exception failure, bool emitted) => emitted ? new OutputAlreadyStreamedException(failure) : failure;

    private void Report(string outcome, TimeSpan duration, TimeSpan? firstToken, UsageDetails? usage)
    {
        if (observer is null) return;
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        observer.RequestFinished(target.ProviderName, target.Model, outcome, duration, firstToken, input, output,
            Pricing.Cost(target.Settings, input, output) ?? 0);
    }
}

/// <summary>Carries an exception thrown by <see cref="IChatCallbacks.OnText"/> through the pipeline untouched.</summary>
internal sealed class CallbackFailedException(Exception inner) : Exception(inner.Message, inner);
