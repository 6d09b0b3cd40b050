using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Lua;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Handlers;

/// <summary>Shell request handlers. Run on the execution thread, one request at a time.</summary>
internal sealed class ShellHandlers(ExecutionEngine engine, KernelContext context)
{
    /// <summary>Shell message types this kernel understands.</summary>
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "execute_request", "kernel_info_request", "is_complete_request", "complete_request", "inspect_request",
        "history_request", "comm_info_request", "comm_open", "comm_msg", "comm_close",
    };

    private readonly ILogger _logger = context.LoggerFactory.CreateLogger<ShellHandlers>();
    private Messenger Messenger => context.Messenger;

    public void Handle(ShellWork work)
    {
        var msg = work.Message;
        if (!work.Known)
        {
            if (msg.MsgType.EndsWith("_request", StringComparison.Ordinal))
                Messenger.Reply(msg, Channel.Shell, Messenger.ReplyType(msg.MsgType),
                    Messenger.ErrorContent("UnknownMessageType", $"Unknown message type '{msg.MsgType}'"));
            return;
        }

        switch (msg.MsgType)
        {
            case "execute_request": Execute(work); break;
            case "kernel_info_request": Messenger.Reply(msg, Channel.Shell, "kernel_info_reply", KernelInfo.Content()); break;
            case "is_complete_request": IsComplete(msg); break;
            case "complete_request": Complete(msg); break;
            case "inspect_request": Inspect(msg); break;
            case "history_request": History(msg); break;
            case "comm_info_request":
                Messenger.Reply(msg, Channel.Shell, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // No comm targets: close the comm right away, as ipykernel does for unknown targets.
                Messenger.Publish(msg.HeaderBytes, "comm_close", new JsonObject
                {
                    ["comm_id"] = Json.Str(msg.Content, "comm_id") ?? "",
                    ["data"] = new JsonObject(),
                });
                break;
            default:
                // comm_msg / comm_close: nothing is open, ignore.
                break;
        }
    }

    private void Execute(ShellWork work)
    {
        var msg = work.Message;
        var c = msg.Content;
        var code = Json.Str(c, "code") ?? "";
        var silent = Json.Bool(c, "silent", false);
        var storeHistory = !silent && Json.Bool(c, "store_history", true);
        var allowStdin = Json.Bool(c, "allow_stdin", true);
        var stopOnError = Json.Bool(c, "stop_on_error", true);

        if (work.Sequence <= engine.AbortThroughSequence)
        {
            _logger.LogInformation("Aborting queued execute_request after an earlier error");
            Messenger.Reply(msg, Channel.Shell, "execute_reply", new JsonObject
            {
                ["status"] = "aborted",
                ["execution_count"] = engine.ExecutionCount,
            });
            context.Observer.ExecutionFinished(TimeSpan.Zero, "aborted");
            return;
        }

        var count = storeHistory ? engine.NextExecutionCount() : engine.ExecutionCount;
        var duration = TimeSpan.Zero;
        if (!silent)
            Messenger.Publish(msg.HeaderBytes, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });

        context.Streams.SetParent(msg.HeaderBytes);
        var host = new ExecutionHost(engine, context.Streams, msg, allowStdin);
        var timeout = context.Options.ExecutionTimeout;
        // `exit`/`quit` ask the front end to leave (ask_exit payload), as they do in IPython; nothing runs.
        var outcome = IsExitCommand(code) ? ExecutionOutcome.Ok(null) : engine.RunGuarded(s => s.Execute(code, host, timeout), out duration);
        // io.read() returns nil when its input request is interrupted; the script may finish before
        // Lua notices the interrupt, but the cell was interrupted all the same.
        if (outcome.Success && engine.ConsumeInputInterrupted())
            outcome = ExecutionOutcome.Failed(new LuaError("KeyboardInterrupt", "interrupted while waiting for input", []));
        context.Streams.Flush();

        JsonObject reply;
        string status;
        if (outcome.Success)
        {
            status = "ok";
            if (!silent && outcome.ResultText is not null)
            {
                Messenger.Publish(msg.HeaderBytes, "execute_result", new JsonObject
                {
                    ["data"] = new JsonObject { ["text/plain"] = outcome.ResultText },
                    ["metadata"] = new JsonObject(),
                    ["execution_count"] = count,
                });
            }
            reply = new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["payload"] = IsExitCommand(code) ? new JsonArray(new JsonObject { ["source"] = "ask_exit", ["keepkernel"] = false }) : new JsonArray(),
                ["user_expressions"] = UserExpressions(c["user_expressions"] as JsonObject),
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
            if (stopOnError && !silent) engine.AbortThroughSequence = engine.LastEnqueuedSequence;
        }

        if (storeHistory) context.History.Add(count, code, outcome.Success ? outcome.ResultText : null);
        Messenger.Reply(msg, Channel.Shell, "execute_reply", reply);
        context.Observer.ExecutionFinished(duration, status);
    }

    private JsonObject UserExpressions(JsonObject? expressions)
    {
        var result = new JsonObject();
        if (expressions is null) return result;
        foreach (var (name, node) in expressions)
        {
            var expr = node is JsonValue v && v.TryGetValue(out string? s) ? s : "";
            var outcome = engine.RunGuarded(session => session.Evaluate(expr, context.Options.ExecutionTimeout), out _);
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

    private LuaSession RequireSession() => engine.Session ?? throw new InvalidOperationException("No Lua session is available");

    private void IsComplete(JupyterMessage msg)
    {
        var code = Json.Str(msg.Content, "code") ?? "";
        var result = RequireSession().IsComplete(code);
        var content = new JsonObject
        {
            ["status"] = result.Status switch
            {
                CompletenessStatus.Complete => "complete",
                CompletenessStatus.Incomplete => "incomplete",
                CompletenessStatus.Invalid => "invalid",
                _ => "unknown",
            },
        };
        if (result.Status == CompletenessStatus.Incomplete) content["indent"] = result.Indent;
        Messenger.Reply(msg, Channel.Shell, "is_complete_reply", content);
    }

    private void Complete(JupyterMessage msg)
    {
        var code = Json.Str(msg.Content, "code") ?? "";
        var cursor = CodePoints.ToUtf16Index(code, Json.Int(msg.Content, "cursor_pos") ?? code.Length);
        var result = RequireSession().Complete(code, cursor);
        Messenger.Reply(msg, Channel.Shell, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = Json.Array(result.Matches),
            ["cursor_start"] = CodePoints.FromUtf16Index(code, result.CursorStart),
            ["cursor_end"] = CodePoints.FromUtf16Index(code, result.CursorEnd),
            ["metadata"] = new JsonObject(),
        });
    }

    private void Inspect(JupyterMessage msg)
    {
        var code = Json.Str(msg.Content, "code") ?? "";
        var cursor = CodePoints.ToUtf16Index(code, Json.Int(msg.Content, "cursor_pos") ?? code.Length);
        var detail = Json.Int(msg.Content, "detail_level") ?? 0;
        var result = RequireSession().Inspect(code, cursor, detail);
        var data = new JsonObject();
        if (result is not null) data["text/plain"] = result.PlainText;
        Messenger.Reply(msg, Channel.Shell, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = result is not null,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        });
    }

    private void History(JupyterMessage msg)
    {
        var c = msg.Content;
        var output = Json.Bool(c, "output", false);
        var access = Json.Str(c, "hist_access_type") ?? "tail";
        IReadOnlyList<HistoryEntry> entries = access switch
        {
            "range" => context.History.Range(Json.Int(c, "session") ?? 0, Json.Int(c, "start") ?? 0, Json.Int(c, "stop")),
            "search" => context.History.Search(Json.Str(c, "pattern") ?? "*", Json.Int(c, "n"), Json.Bool(c, "unique", false)),
            _ => context.History.Tail(Json.Int(c, "n") ?? 10),
        };
        var history = new JsonArray();
        foreach (var e in entries)
        {
            JsonNode input = output ? new JsonArray(e.Input, e.Output) : JsonValue.Create(e.Input);
            history.Add(new JsonArray(e.Session, e.Line, input));
        }
        Messenger.Reply(msg, Channel.Shell, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = history });
    }

    private static bool IsExitCommand(string code) => code.Trim() is "exit" or "quit" or "exit()" or "quit()";
}

/// <summary>The IExecutionHost handed to LuaSession.Execute for one request.</summary>
internal sealed class ExecutionHost(ExecutionEngine engine, OutputStreams streams, JupyterMessage request, bool allowStdin) : IExecutionHost
{
    public void WriteStdout(string text) => streams.Write("stdout", text);

    public void WriteStderr(string text) => streams.Write("stderr", text);

    public string? ReadInput(string prompt, bool password) =>
        allowStdin ? engine.WaitForInput(request, prompt ?? "", password) : null;
}
