namespace LlmSpell.Lua;

/// <summary>What a running script talks to: streamed output and stdin. Called on the execution thread.</summary>
public interface IExecutionHost
{
    void WriteStdout(string text);
    void WriteStderr(string text);

    /// <summary>Asks the front end for a line of input; returns null when stdin is not allowed or the request was interrupted.</summary>
    string? ReadInput(string prompt, bool password);
}
