using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Lua;

namespace LlmSpell.Kernel.Shell;

/// <summary>The shell requests other than execute: kernel info, completion, inspection, history and comms.</summary>
internal sealed class ShellQueries(KernelContext context)
{
    private Messenger Messenger => context.Messenger;

    public void KernelInfo(ShellRequest request) =>
        Messenger.Reply(request.Message, Channel.Shell, "kernel_info_reply", Protocol.KernelInfo.Content());

    public void IsComplete(ShellRequest request)
    {
        var msg = request.Message;
        var code = Json.Str(msg.Content, "code") ?? "";
        var result = request.RequireSession().IsComplete(code);
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

    public void Complete(ShellRequest request)
    {
        var msg = request.Message;
        var code = Json.Str(msg.Content, "code") ?? "";
        var cursor = CodePoints.ToUtf16Index(code, Json.Int(msg.Content, "cursor_pos") ?? code.Length);
        var result = request.RequireSession().Complete(code, cursor);
        Messenger.Reply(msg, Channel.Shell, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = Json.Array(result.Matches),
            ["cursor_start"] = CodePoints.FromUtf16Index(code, result.CursorStart),
            ["cursor_end"] = CodePoints.FromUtf16Index(code, result.CursorEnd),
            ["metadata"] = new JsonObject(),
        });
    }

    public void Inspect(ShellRequest request)
    {
        var msg = request.Message;
        var code = Json.Str(msg.Content, "code") ?? "";
        var cursor = CodePoints.ToUtf16Index(code, Json.Int(msg.Content, "cursor_pos") ?? code.Length);
        var detail = Json.Int(msg.Content, "detail_level") ?? 0;
        var result = request.RequireSession().Inspect(code, cursor, detail);
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

    public void History(ShellRequest request)
    {
        var c = request.Message.Content;
        var output = Json.Bool(c, "output", false);
        var access = Json.Str(c, "hist_access_type") ?? "tail";
        IReadOnlyList<HistoryEntry> entries = access switch
        {
            "range" => context.History.Range(Json.Int(c, "session") ?? 0, Json.Int(c, "start") ?? 0, Json.Int(c, "stop")),
            "search" => context.History.Search(Json.Str(c, "pattern") ?? "*", Json.Int(c, "n"), Json.Bool(c, "unique", false)),
            _ => context.History.Tail(Json.Int(c, "n") ?? 10),
        };
        var budget = HistoryReply.Budget(context.Options.MaxMessageSizeBytes, request.Message);
        Messenger.Reply(request.Message, Channel.Shell, "history_reply", HistoryReply.Content(entries, output, budget));
    }

    public void CommInfo(ShellRequest request) =>
        Messenger.Reply(request.Message, Channel.Shell, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });

    /// <summary>No comm targets: the comm is closed right away, as ipykernel does for unknown targets.</summary>
    public void CommOpen(ShellRequest request) =>
        Messenger.Publish(request.Message.HeaderBytes, "comm_close", new JsonObject
        {
            ["comm_id"] = Json.Str(request.Message.Content, "comm_id") ?? "",
            ["data"] = new JsonObject(),
        });
}
