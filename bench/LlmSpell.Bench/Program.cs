// Minimal Jupyter client for benchmarking kernels over NetMQ (DEALER shell + SUB iopub).
// One execution is complete when both its execute_reply (shell) and its status idle (iopub, same parent) arrived.
//   latency   : window 1, per-execution round trip (p50/p90/p99)
//   pipelined : all N requests sent up front, then everything collected; executions/second
//   growth    : windowed pipeline over N executions, kernel RSS (/proc/PID/status) at checkpoints
using System.Diagnostics;
using System.Text.Json;
using LlmSpell.Bench;
using NetMQ;
using NetMQ.Sockets;

var opts = Args.Parse(args);
var conn = JsonDocument.Parse(File.ReadAllText(opts.Get("conn"))).RootElement;
var ip = conn.GetProperty("ip").GetString()!;
var wire = new Wire(conn.GetProperty("key").GetString() ?? "", Guid.NewGuid().ToString("N"));
var mode = opts.Mode;
var n = opts.Int("n", 2000);
var warmup = opts.Int("warmup", 200);
var window = mode switch { "latency" => 1, "pipelined" => n, _ => opts.Int("window", 64) };
var timeout = TimeSpan.FromSeconds(opts.Int("timeout", 120));
var code = opts.Get("code", "x = 1");
var pid = opts.Int("pid", 0);
var checkpoints = opts.Get("checkpoints", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToHashSet();

using var shell = new DealerSocket();
using var iopub = new SubscriberSocket();
foreach (var s in new NetMQSocket[] { shell, iopub })
{
    s.Options.Linger = TimeSpan.Zero;
    s.Options.ReceiveHighWatermark = 0;
    s.Options.SendHighWatermark = 0;
}
iopub.Subscribe("");
shell.Connect($"tcp://{ip}:{conn.GetProperty("shell_port").GetInt32()}");
iopub.Connect($"tcp://{ip}:{conn.GetProperty("iopub_port").GetInt32()}");

// Handshake: kernel_info until the shell answers and iopub delivers (PUB/SUB slow joiner), bounded.
var hs = Stopwatch.StartNew();
bool shellOk = false, iopubOk = false;
var frames = new List<byte[]>();
while (!(shellOk && iopubOk))
{
    if (hs.Elapsed > TimeSpan.FromSeconds(30)) { Console.Error.WriteLine("handshake timed out"); return 2; }
    shell.SendMultipartBytes(wire.Request("kernel_info_request", "{}", out _));
    var until = hs.Elapsed + TimeSpan.FromMilliseconds(200);
    while (hs.Elapsed < until)
    {
        if (shell.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(5), ref frames) && wire.Decode(frames)?.MsgType == "kernel_info_reply") shellOk = true;
        while (iopub.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames)) iopubOk = true;
        if (shellOk && iopubOk) break;
    }
}
Thread.Sleep(200);
while (iopub.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(50), ref frames)) { }
while (shell.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames)) { }

var phases = new Queue<(string Name, int Count)>();
if (warmup > 0 && mode != "growth") phases.Enqueue(("warmup", warmup));
phases.Enqueue(("main", n));

var pending = new Dictionary<string, (long Sent, int Flags)>();
var latencies = new List<long>(n);
var rss = new List<object>();
int phaseCount = 0, sent = 0, done = 0, errors = 0, dropped = 0;
string phase = "";
long phaseStart = 0, mainElapsed = 0;
var timedOut = false;

using var poller = new NetMQPoller { shell, iopub };
var deadline = new NetMQTimer(timeout);
deadline.Elapsed += (_, _) => { timedOut = true; poller.StopAsync(); };
poller.Add(deadline);

void SendOne()
{
    var f = wire.Request("execute_request", Wire.Execute(code), out var id);
    pending[id] = (Stopwatch.GetTimestamp(), 0);
    sent++;
    shell.SendMultipartBytes(f);
}

void StartPhase()
{
    (phase, phaseCount) = phases.Dequeue();
    sent = done = 0;
    latencies.Clear();
    if (phase == "main" && pid > 0) rss.Add(new { executions = 0, rss_kb = Rss(pid) });
    phaseStart = Stopwatch.GetTimestamp();
    for (var i = 0; i < Math.Min(window, phaseCount); i++) SendOne();
}

void Mark(string? parent, int flag)
{
    if (parent is null || !pending.TryGetValue(parent, out var p)) return;
    p.Flags |= flag;
    if (p.Flags != 3) { pending[parent] = p; return; }
    pending.Remove(parent);
    var now = Stopwatch.GetTimestamp();
    latencies.Add(now - p.Sent);
    done++;
    if (phase == "main" && pid > 0 && checkpoints.Contains(done)) rss.Add(new { executions = done, rss_kb = Rss(pid) });
    if (done == phaseCount)
    {
        if (phase == "main") mainElapsed = now - phaseStart;
        if (phases.Count > 0) StartPhase(); else poller.StopAsync();
        return;
    }
    if (sent < phaseCount) SendOne();
}

shell.ReceiveReady += (_, _) =>
{
    var f = new List<byte[]>();
    while (shell.TryReceiveMultipartBytes(TimeSpan.Zero, ref f))
    {
        var m = wire.Decode(f);
        if (m is null) { dropped++; continue; }
        if (m.MsgType != "execute_reply") continue;
        if (Wire.ContentStr(m.Content, "status") != "ok") errors++;
        Mark(m.ParentMsgId, 1);
    }
};
iopub.ReceiveReady += (_, _) =>
{
    var f = new List<byte[]>();
    while (iopub.TryReceiveMultipartBytes(TimeSpan.Zero, ref f))
    {
        var m = wire.Decode(f);
        if (m is null) { dropped++; continue; }
        if (m.MsgType == "status" && Wire.ContentStr(m.Content, "execution_state") == "idle") Mark(m.ParentMsgId, 2);
    }
};

StartPhase();
poller.Run();

double Us(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
latencies.Sort();
double Pct(double q) => latencies.Count == 0 ? double.NaN : Us(latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)]);
if (pid > 0 && !timedOut)
{
    Thread.Sleep(2000);
    rss.Add(new { executions = done, rss_kb = Rss(pid), after_settle_s = 2 });
}
var elapsedS = mainElapsed / (double)Stopwatch.Frequency;
var result = new Dictionary<string, object?>
{
    ["client"] = "csharp-netmq",
    ["mode"] = mode,
    ["code"] = code,
    ["n"] = n,
    ["completed"] = phase == "main" ? done : 0,
    ["window"] = window,
    ["warmup"] = mode == "growth" ? 0 : warmup,
    ["timed_out"] = timedOut,
    ["errors"] = errors,
    ["bad_messages"] = dropped,
    ["elapsed_s"] = timedOut ? null : elapsedS,
    ["throughput_per_s"] = timedOut || elapsedS <= 0 ? null : n / elapsedS,
    ["p50_us"] = Pct(0.50),
    ["p90_us"] = Pct(0.90),
    ["p99_us"] = Pct(0.99),
    ["max_us"] = latencies.Count > 0 ? Us(latencies[^1]) : double.NaN,
    ["mean_us"] = latencies.Count > 0 ? latencies.Average(Us) : double.NaN,
    ["rss"] = rss,
};
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
return timedOut ? 1 : 0;

static long Rss(int pid)
{
    try
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }
    catch (IOException) { }
    return -1;
}

internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new();
    public string Mode { get; private init; } = "";

    public static Args Parse(string[] argv)
    {
        if (argv.Length == 0 || argv[0] is not ("latency" or "pipelined" or "growth"))
        {
            Console.Error.WriteLine("usage: LlmSpell.Bench latency|pipelined|growth --conn FILE [--n N] [--warmup W] [--window K] [--pid PID] [--checkpoints a,b,c] [--timeout S] [--code CODE]");
            Environment.Exit(64);
        }
        var a = new Args { Mode = argv[0] };
        for (var i = 1; i + 1 < argv.Length; i += 2) a._values[argv[i].TrimStart('-')] = argv[i + 1];
        return a;
    }

    public string Get(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
}
