using Microsoft.Extensions.AI;

namespace LlmSpell.Scripting;

/// <summary>What Agent.builder() configured.</summary>
internal sealed record AgentSpec
{
    public string? Name { get; init; }
    public string? Model { get; init; }
    public string? SystemPrompt { get; init; }
    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public IReadOnlyList<string> Tools { get; init; } = [];
    public int MaxToolRounds { get; init; } = 5;
    public int MaxHistory { get; init; } = 100;
    public string? BaseUrl { get; init; }
    public string? ApiKey { get; init; }
}

/// <summary>An agent of one session: its settings and its conversation (role messages, bounded).</summary>
internal sealed class ScriptAgent(string id, AgentSpec spec)
{
    private readonly List<ChatMessage> _history = [];
    private readonly Lock _lock = new();

    public string Id { get; } = id;
    public AgentSpec Spec { get; } = spec;

    /// <summary>System prompt, the conversation so far, then the new user message.</summary>
    public List<ChatMessage> MessagesFor(string input)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(Spec.SystemPrompt)) messages.Add(new ChatMessage(ChatRole.System, Spec.SystemPrompt));
        lock (_lock) messages.AddRange(_history);
        messages.Add(new ChatMessage(ChatRole.User, input));
        return messages;
    }

    /// <summary>Appends a finished turn, then drops whole turns from the front beyond the bound.</summary>
    public void Remember(string input, IReadOnlyList<ChatMessage> replies)
    {
        lock (_lock)
        {
            _history.Add(new ChatMessage(ChatRole.User, input));
            _history.AddRange(replies);
            while (_history.Count > Spec.MaxHistory)
            {
                _history.RemoveAt(0);
                // A turn starts with a user message; never keep a tool result without the call that asked for it.
                while (_history.Count > 0 && _history[0].Role != ChatRole.User) _history.RemoveAt(0);
            }
        }
    }

    public IReadOnlyList<ChatMessage> History()
    {
        lock (_lock) return [.. _history];
    }

    public void Reset()
    {
        lock (_lock) _history.Clear();
    }
}
