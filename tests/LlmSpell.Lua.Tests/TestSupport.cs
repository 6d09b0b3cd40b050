using System.Collections.Concurrent;
using LlmSpell.Lua;

namespace LlmSpell.Lua.Tests;

internal sealed class RecordingHost : IExecutionHost
{
    private readonly Queue<string?> _inputs;

    public RecordingHost(params string?[] inputs) => _inputs = new Queue<string?>(inputs);

    public List<(string Stream, string Text)> Calls { get; } = [];
    public List<int> StdoutCallsAtReadInput { get; } = [];
    public Action<string>? OnStdout { get; set; }

    public string Stdout => string.Concat(Calls.Where(c => c.Stream == "stdout").Select(c => c.Text));
    public string Stderr => string.Concat(Calls.Where(c => c.Stream == "stderr").Select(c => c.Text));

    public void WriteStdout(string text)
    {
        Calls.Add(("stdout", text));
        OnStdout?.Invoke(text);
    }

    public void WriteStderr(string text) => Calls.Add(("stderr", text));

    public string? ReadInput(string prompt, bool password)
    {
        StdoutCallsAtReadInput.Add(Calls.Count(c => c.Stream == "stdout"));
        return _inputs.Count > 0 ? _inputs.Dequeue() : null;
    }
}

internal static class Lua
{
    public static readonly TimeSpan NoTimeout = TimeSpan.Zero;

    /// <summary>The words the server passes in; the tests assert the messages users actually see.</summary>
    public const string InterruptName = "KeyboardInterrupt";
    public const string UnsafeHint = "set [security] allow_unsafe_lua = true to enable";

    public static LuaSession NewSession(bool unsafeMode = false, long memory = 64L * 1024 * 1024, long instructions = 0, string? wd = null) =>
        new(new LuaSessionOptions
        {
            AllowUnsafe = unsafeMode,
            MemoryLimitBytes = memory,
            InstructionLimit = instructions,
            WorkingDirectory = wd,
            InterruptErrorName = InterruptName,
            UnsafeFunctionHint = UnsafeHint,
        });

    public static ExecutionOutcome Run(this LuaSession s, string code, RecordingHost? host = null, TimeSpan? timeout = null) =>
        s.Execute(code, host ?? new RecordingHost(), timeout ?? NoTimeout);

    public static string Ok(this LuaSession s, string code, RecordingHost? host = null)
    {
        var r = s.Run(code, host);
        Assert.True(r.Success, $"expected success, got {r.Error?.Name}: {r.Error?.Value}");
        return r.ResultText ?? "<null>";
    }

    /// <summary>
    /// Runs <paramref name="body"/> on its own thread and fails the test if it has not returned within a few
    /// seconds (a wedged session then keeps that thread; the test still ends).
    /// </summary>
    public static T Bounded<T>(Func<T> body, string what)
    {
        var task = Task.Factory.StartNew(body, TaskCreationOptions.LongRunning);
        Assert.True(task.Wait(TimeSpan.FromSeconds(5)), $"{what} did not return within 5 s");
        return task.Result;
    }

    public static LuaError Fails(this LuaSession s, string code, RecordingHost? host = null, TimeSpan? timeout = null)
    {
        var r = s.Run(code, host, timeout);
        Assert.False(r.Success, $"expected failure, got result {r.ResultText}");
        Assert.NotNull(r.Error);
        return r.Error!;
    }
}
