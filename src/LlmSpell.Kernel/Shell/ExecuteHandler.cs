using System.Diagnostics;
using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Stdin;
using LlmSpell.Lua;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Shell;

/// <summary>execute_request: runs a cell, publishes its input/result/error, keeps the execution count and stop_on_error state.</summary>
internal sealed partial class ExecuteHandler(KernelContext context, StdinBridge stdin)
{
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger<ExecuteHandler>();
    private int _executionCount;

    public StopOnError StopOnError { get; } = new();

    public int ExecutionCount => Volatile.Read(ref _executionCount);

    private Messenger Messenger => context.Messenger;

    /// <summary>After a restart the fresh state starts counting at 1 again.</summary>
    public void ResetExecutionCount() => Volatile.Write(ref _executionCount, 0);

    public void Handle(ShellRequest request)
    {
        var msg = request.Message;
        var c = msg.Content;
        var code = Json.Str(c, "code") ?? "";
        var silent = Json.Bool(c, "silent", false);
        var storeHistory = !silent && Json.Bool(c, "store_history", true);
        var allowStdin = Json.Bool(c, "allow_stdin", true);
        var stopOnError = Json.Bool(c, "stop_on_error", true);

        if (StopOnError.ShouldAbort(request.Stamp))
        {
            Log.AbortingAfterError(_logger);
            Messenger.Reply(msg, Channel.Shell, "execute_reply", new JsonObject
            {
                ["status"] = "aborted",
                ["execution_count"] = ExecutionCount,
            });
            context.Observer.ExecutionFinished(TimeSpan.Zero, "aborted");
            return;
        }

        var count = storeHistory ? Interlocked.Increment(ref _executionCount) : ExecutionCount;
        var duration = TimeSpan.Zero;
        if (!silent)
            Messenger.Publish(msg.HeaderBytes, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });

        context.Streams.SetParent(msg.HeaderBytes);
        var host = new ExecutionHost(stdin, context.Streams, msg, allowStdin);
        var timeout = context.Options.ExecutionTimeout;
        // `exit`/`quit` ask the front end to leave (ask_exit payload), as they do in IPython; nothing runs.
        var outcome = IsExitCommand(code) ? ExecutionOutcome.Ok(null) : Run(request.Session, s => s.Execute(code, host, timeout), out duration);
        // io.read() returns nil when its input request is interrupted; the script may finish before
        // Lua notices the interrupt, but the cell was interrupted all the same.
        if (outcome.Success && stdin.ConsumeInterrupted())
            outcome = ExecutionOutcome.Failed(new LuaError("KeyboardInterrupt", "interrupted while waiting for input", []));
        context.Streams.Flush();

        JsonObject reply;
        string status;
        if (outcome.Success)
        {
            status = "ok";
            if (!silent && outcome.ResultText is not null)
            {
                var data = new JsonObject { ["text/plain"] = outcome.ResultText };
                if (outcome.ResultMarkdown is { } markdown) data["text/markdown"] = markdown;
                Messenger.Publish(msg.HeaderBytes, "execute_result", new JsonObject
                {
                    ["data"] = data,
                    ["metadata"] = new JsonObject(),
                    ["execution_count"] = count,
                });
            }
            reply = new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["payload"] = IsExitCommand(code) ? new JsonArray(new JsonObject { ["source"] = "ask_exit", ["keepkernel"] = false }) : new JsonArray(),
                ["user_expressions"] = UserExpressions(request.Session, c["user_expressions"] as JsonObject),
            };
        }
        else
        {
            status = "error";
            var error = outcome.Error ?? new LuaError("Error", "unknown error", []);
            var traceback = error.Traceback.Count > 0 ? error.Traceback : [$"{error.Name}: {error.Value}"];
            Messenger.Publish(msg.HeaderBytes, "error", new JsonObject
            {
                ["ename"] = error.Name,
                ["evalue"] = error.Value,
                ["traceback"] = Json.Array(traceback),
            });
            reply = Messenger.ErrorContent(error.Name, error.Value, traceback);
            reply["execution_count"] = count;
            reply["payload"] = new JsonArray();
            reply["user_expressions"] = new JsonObject();
            if (stopOnError && !silent) StopOnError.AbortQueued();
        }

        if (storeHistory) context.History.Add(count, code, outcome.Success ? outcome.ResultText : null);
        Messenger.Reply(msg, Channel.Shell, "execute_reply", reply);
        context.Observer.ExecutionFinished(duration, status);
    }

    private JsonObject UserExpressions(LuaSession? session, JsonObject? expressions)
    {
        var result = new JsonObject();
        if (expressions is null) return result;
        foreach (var (name, node) in expressions)
        {
            var expr = node is JsonValue v && v.TryGetValue(out string? s) ? s : "";
            var outcome = Run(session, lua => lua.Evaluate(expr, context.Options.ExecutionTimeout), out _);
            if (outcome.Success)
            {
                result[name] = new JsonObject
                {
                    ["status"] = "ok",
                    ["data"] = new JsonObject { ["text/plain"] = outcome.ResultText ?? "nil" },
                    ["metadata"] = new JsonObject(),
                };
            }
            else
            {
                var e = outcome.Error ?? new LuaError("Error", "unknown error", []);
                result[name] = Messenger.ErrorContent(e.Name, e.Value, e.Traceback);
            }
        }
        return result;
    }

    /// <summary>Runs Lua code; a .NET exception becomes a failed outcome instead of failing the request.</summary>
    private ExecutionOutcome Run(LuaSession? session, Func<LuaSession, ExecutionOutcome> action, out TimeSpan duration)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            if (session is null) return ExecutionOutcome.Failed(new LuaError("KernelError", "No Lua session is available", []));
            stdin.ResetInterrupted();
            return action(session);
        }
        catch (Exception ex)
        {
            Log.LuaExecutionThrew(_logger, ex);
            return ExecutionOutcome.Failed(new LuaError(ex.GetType().Name, ex.Message, []));
        }
        finally
        {
            duration = sw.Elapsed;
        }
    }

    private static bool IsExitCommand(string code) => code.Trim() is "exit" or "quit" or "exit()" or "quit()";

    private static partial class Log
    {
        [LoggerMessage(1080, LogLevel.Information, "Aborting queued execute_request after an earlier error")]
        public static partial void AbortingAfterError(ILogger logger);

        [LoggerMessage(1081, LogLevel.Warning, "Lua execution threw")]
        public static partial void LuaExecutionThrew(ILogger logger, Exception ex);
    }
}

/// <summary>The IExecutionHost handed to LuaSession.Execute for one request.</summary>
internal sealed class ExecutionHost(StdinBridge stdin, OutputStreams streams, JupyterMessage request, bool allowStdin) : IExecutionHost
{
    public void WriteStdout(string text) => streams.Write("stdout", text);

    public void WriteStderr(string text) => streams.Write("stderr", text);

    public string? ReadInput(string prompt, bool password) =>
        allowStdin ? stdin.WaitForInput(request, prompt ?? "", password) : null;
}
