#!/usr/bin/python3
"""Markdown summary of one bench/gateway/run.sh result directory."""
import json, os, sys

d = sys.argv[1]
J = lambda n: json.load(open(os.path.join(d, n)))
r, mb, ma = J("gateway.json"), J("machine-before.json"), J("machine-after.json")
elapsed = open(os.path.join(d, "elapsed_s")).read().strip()
out = []
p = out.append


def ms(v, nd=2):
    return "n/a" if v is None else f"{v:,.{nd}f}"


def x(a, b):
    return "n/a" if not a or not b else f"{a / b:.2f}x"


c = r["config"]
p(f"Run `{os.path.basename(d)}`{' (--quick)' if r['quick'] else ''}, {mb['build']} build (`{r['llmspell']}`, "
  f"{mb['llmspell_version']}), commit {mb['git']}, {elapsed} s total.\n")
p(f"Machine: {mb['nproc']} CPUs (`nproc`), {mb['cpu']}, {mb['mem_total']}, Linux {mb['kernel']}; load average "
  f"(1/5/15 min) before {' '.join(mb['loadavg'])}, after {' '.join(ma['loadavg'])}. Python {mb['python']}, "
  f"Jupyter Server {mb['jupyter_server']}, tornado {mb['tornado']}, jupyter_client {mb['jupyter_client']}, "
  f"pyzmq {mb['pyzmq']} (libzmq {mb['libzmq']}), websocket-client {mb['websocket_client']}; .NET SDK {mb['dotnet']}.\n")

e = r["prespawn0"]["execute"]
P = e["paths"]
base, floor = P["zmq-bkc"], P["zmq-session"]
names = {
    "zmq-bkc": "(a) ZeroMQ: jupyter_client `BlockingKernelClient`",
    "zmq-session": "(a') ZeroMQ: raw pyzmq + `Session` (Python floor)",
    "ws-legacy": "(b) llmspell websocket, legacy JSON",
    "ws-v1": "(c) llmspell websocket, `v1.kernel.websocket.jupyter.org`",
    "jupyter-server": "(d) Jupyter Server (gateway mode) → llmspell websocket",
    "jupyter-server-patched": "(d') same, Jupyter Server patched: TCP_NODELAY + first-message fix (diagnostic)",
}
def cs_row():
    cs = e.get("csharp_netmq")
    if cs and "failed" not in cs:
        p(f"| (a'') ZeroMQ: C# NetMQ client (`bench/LlmSpell.Bench`, one run after the rounds; reference) | {ms(cs['p50_ms'])} ms | "
          f"{ms(cs['p90_ms'])} ms | {ms(cs['p99_ms'])} ms | {ms(cs['max_ms'])} ms | {x(cs['p50_ms'], base['p50_ms'])} | "
          f"{x(cs['p99_ms'], base['p99_ms'])} | {x(cs['p50_ms'], floor['p50_ms'])} | n = {cs['n']} |")
    elif cs:
        p(f"| (a'') ZeroMQ: C# NetMQ client | failed: {cs['failed']} | | | | | | | |")


p(f"### Execute round trip: `{e['code']}` → execute_reply and idle status (sequential, n = {e['n']} per path)\n")
p(f"One kernel, {e['rounds']} rounds (every path in turn, one client connected at a time), warm-up {e['warmup']} "
  f"executions per path before the first round and 20 before each later one.\n")
p("| Path | p50 | p90 | p99 | max | p50 / ZeroMQ (a) | p99 / ZeroMQ (a) | p50 / Python floor (a') | errors |")
p("|---|---|---|---|---|---|---|---|---|")
for k, label in names.items():
    v = P[k]
    fail = f"; {len(v['failures'])} failures: {v['failures'][:2]}" if v["failures"] else ""
    p(f"| {label} | {ms(v['p50_ms'])} ms | {ms(v['p90_ms'])} ms | {ms(v['p99_ms'])} ms | {ms(v['max_ms'])} ms | "
      f"{x(v['p50_ms'], base['p50_ms'])} | {x(v['p99_ms'], base['p99_ms'])} | {x(v['p50_ms'], floor['p50_ms'])} | "
      f"{v['errors']} of {v['n']}{fail} |")
    if k == "zmq-session":
        cs_row()
p("")

p(f"### `POST /api/kernels` → first `kernel_info_reply` over the kernel's websocket\n")
p(f"{c['kernels']} kernels per series, one request per {c['pace_s']:.0f} s (each starts {c['pace_s']:.0f} s after the "
  f"previous one started), DELETE after each (not in the time); burst: {c['burst']} back to back, each kept open until the last "
  f"answered, then all deleted. The "
  f"kernel_info_request is resent every 200 ms until answered.\n")
labels = {"direct": "llmspell directly", "jupyter-server": "through Jupyter Server",
          "jupyter-server-patched": "through Jupyter Server, patched (diagnostic)",
          "jupyter-server-path": "through Jupyter Server, notebook path (KERNEL_WORKING_DIR)",
          "direct-burst": "llmspell directly, burst (kept open, then deleted)"}
p("| Series | prespawn | n | total p50 | p90 | p99 | max | POST p50 / p99 | websocket open p50 | kernel_info p50 / p99 | first request lost (resent) | kernel_info > 40 ms | DELETE p50 |")
p("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in ("prespawn0", "prespawn2"):
    s_ = r[name]["start"]
    for s in s_["series"]:
        t, po, wo, ki = s["total"], s["post"], s["ws_open"], s["kernel_info"]
        slow = sum(1 for rec in s["records"] if rec.get("kernel_info_ms", 0) > 40)
        err = f" ({len(s['errors'])} errors: {s['errors'][:1]})" if s["errors"] else ""
        p(f"| {labels[s['label']]} | {s_['prespawn']} | {s['completed']}/{s['count']}{err} | {ms(t['p50_ms'], 1)} ms | "
          f"{ms(t['p90_ms'], 1)} ms | {ms(t['p99_ms'], 1)} ms | {ms(t['max_ms'], 1)} ms | {ms(po['p50_ms'], 1)} / "
          f"{ms(po['p99_ms'], 1)} ms | {ms(wo['p50_ms'], 1)} ms | {ms(ki['p50_ms'], 1)} / {ms(ki['p99_ms'], 1)} ms | "
          f"{s['kernel_info_resent']} | {slow} | {ms(s['delete']['p50_ms'], 0)} ms |")
p("")
ratio = []
for name in ("prespawn0", "prespawn2"):
    ser = {s["label"]: s for s in r[name]["start"]["series"]}
    ratio.append(ser)
d0, d2 = ratio[0]["direct"]["total"]["p50_ms"], ratio[1]["direct"]["total"]["p50_ms"]
p(f"prespawn = 2 vs 0, llmspell directly, total p50: {ms(d2, 1)} / {ms(d0, 1)} ms = {x(d2, d0)}; POST alone "
  f"{ms(ratio[1]['direct']['post']['p50_ms'], 1)} / {ms(ratio[0]['direct']['post']['p50_ms'], 1)} ms.")
refill = r["prespawn2"]["start"]["refill_after_burst_s"]
p(f"Pool full again {ms(refill * 1000 if refill is not None else None, 0)} ms after the burst's last DELETE "
  f"returned.\n")

p("Service: " + "; ".join(
    f"prespawn {r[n]['start']['prespawn']}: healthy {ms(r[n]['service_healthy_s'] * 1000, 0)} ms after spawn, "
    f"RSS {r[n]['rss_start_kb'] / 1024:.1f} → {r[n]['rss_end_kb'] / 1024:.1f} MB, exit {r[n]['service_exit']}; "
    f"Jupyter Server ready {ms(r[n]['jupyter_server_ready_s'] * 1000, 0)} ms, exit {r[n]['jupyter_server_exit']}"
    for n in ("prespawn0", "prespawn2")) + ".")
for n in ("prespawn0", "prespawn2"):
    m = {l.rsplit(" ", 1)[0]: float(l.rsplit(" ", 1)[1]) for l in r[n]["metrics"]}
    parts = []
    for src in ("cold", "prespawn"):
        cnt = m.get('llmspell_kernel_start_seconds_count{source="%s"}' % src)
        total = m.get('llmspell_kernel_start_seconds_sum{source="%s"}' % src)
        if cnt:
            parts.append(f"{src} {cnt:.0f} (mean {total / cnt * 1000:.1f} ms)")
    p(f"`llmspell_kernel_start_seconds` at the end, prespawn {r[n]['start']['prespawn']}: " + ", ".join(parts) + ".")
print("\n".join(out))
