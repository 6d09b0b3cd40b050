using System.Diagnostics;
using LlmSpell.Llm.Providers;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Calls;

/// <summary>
/// One agent call: ask, run the tools the model called (in order), send their results back, ask again, until the model
/// answers without tools or <see cref="ChatCallRequest.MaxToolRounds"/> rounds of tools have run.
/// </summary>
internal static class ChatCallLoop
{
    public static async Task<ChatCallResult> RunAsync(CallTarget target, ChatCallRequest request, IChatCallbacks callbacks,
        ILlmObserver? observer, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var sender = new RoundSender(target, callbacks, observer);
        var conversation = new List<ChatMessage>(request.Messages);
        var newMessages = new List<ChatMessage>();
        var toolCalls = new List<ToolCallRecord>();
        var options = Options(target, request);
        long inputTokens = 0, outputTokens = 0;
        var attempts = 0;
        for (var round = 0; ; round++)
        {
            var result = await sender.SendAsync(conversation, options, request.Stream, cancellationToken).ConfigureAwait(false);
            attempts += result.Attempts;
            inputTokens += result.Response.Usage?.InputTokenCount ?? 0;
            outputTokens += result.Response.Usage?.OutputTokenCount ?? 0;
            var reply = AssistantMessage(result.Response);
            var calls = reply.Contents.OfType<FunctionCallContent>().ToList();
            var finishReason = result.Response.FinishReason?.Value ?? "stop";
            if (calls.Count > 0 && round >= request.MaxToolRounds)
            {
                // Out of rounds: the unanswered calls are dropped so the conversation stays valid for the next call.
                reply = new ChatMessage(ChatRole.Assistant, reply.Contents.Where(c => c is not FunctionCallContent).ToList());
                finishReason = ChatFinishReason.ToolCalls.Value;
                calls.Clear();
            }
            if (calls.Count == 0)
            {
                if (reply.Contents.Count > 0) newMessages.Add(reply);
                return new ChatCallResult
                {
                    Text = reply.Text,
                    FinishReason = finishReason,
                    InputTokens = inputTokens,
                    OutputTokens = outputTokens,
                    CostUsd = Pricing.Cost(target.Settings, inputTokens, outputTokens),
                    Provider = target.ProviderName,
                    Model = target.Model,
                    DurationMs = watch.ElapsedMilliseconds,
                    Attempts = attempts,
                    ToolCalls = toolCalls,
                    NewMessages = newMessages,
                };
            }
            conversation.Add(reply);
            newMessages.Add(reply);
            foreach (var call in calls)
            {
                var toolMessage = await RunToolAsync(call, callbacks, toolCalls, cancellationToken).ConfigureAwait(false);
                conversation.Add(toolMessage);
                newMessages.Add(toolMessage);
            }
        }
    }

    private static ChatOptions Options(CallTarget target, ChatCallRequest request) => new()
    {
        ModelId = target.Model,
        Temperature = request.Temperature is { } temperature ? (float)temperature : null,
        MaxOutputTokens = request.MaxTokens,
        Tools = request.Tools.Count > 0 ? ToolDeclarations.ToAITools(request.Tools) : null,
    };

    /// <summary>The reply as one clean assistant message: its text and tool calls, without provider-specific extras.</summary>
    private static ChatMessage AssistantMessage(ChatResponse response)
    {
        var contents = new List<AIContent>();
        var text = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text));
        if (text.Length > 0) contents.Add(new TextContent(text));
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
            contents.Add(new FunctionCallContent(call.CallId, call.Name, call.Arguments) { Exception = call.Exception });
        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static async Task<ChatMessage> RunToolAsync(FunctionCallContent call, IChatCallbacks callbacks, List<ToolCallRecord> records,
        CancellationToken cancellationToken)
    {
        var argumentsJson = FunctionArguments.ToJson(call.Arguments);
        ToolOutcome outcome;
        if (call.Exception is not null)
            outcome = new ToolOutcome(null, $"the arguments of the call to '{call.Name}' are not a JSON object: {call.Exception.Message}");
        else
        {
            try
            {
                outcome = await callbacks.InvokeToolAsync(call.Name, argumentsJson, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcome = new ToolOutcome(null, e.Message);
            }
        }
        records.Add(new ToolCallRecord(call.Name, argumentsJson, outcome.ResultJson, outcome.Error));
        var resultText = outcome.Error is { } error ? ToolErrors.ToJson(error) : outcome.ResultJson ?? "null";
        return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, resultText)]);
    }
}
