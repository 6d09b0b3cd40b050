#!/usr/bin/python3
"""Markdown summary of a bench/llm result directory (llm.json, machine-*.json)."""
import json, os, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import pct

d = sys.argv[1]
r = json.load(open(os.path.join(d, "llm.json")))
mb = json.load(open(os.path.join(d, "machine-before.json")))
ma = json.load(open(os.path.join(d, "machine-after.json")))
c = r["config"]
print(f"Run `{os.path.basename(d.rstrip('/'))}`, commit {mb['git']}, binary `{c['llmspell']}` ({mb['build']}), "
      f"{open(os.path.join(d, 'elapsed_s')).read().strip()} s total.\n")
print(f"Machine: {mb['nproc']} CPUs, {mb['cpu']}, Linux {mb['kernel']}; load average (1/5/15 min) before "
      f"{' '.join(mb['loadavg'])}, after {' '.join(ma['loadavg'])}. .NET SDK {mb['dotnet']}; node {mb['node']}, "
      f"openai (npm) {mb['openai_sdk']}; Python {mb['python']}.\n")

calls = r["stream_calls"]
def col(side, i):
    return [x[i] for x in calls[side] if x[i] == x[i]]
n = len(calls["llmspell"])
print(f"### Streamed call overhead: provider double with {c['latency_ms']:g} ms before the first byte, 5 content chunks\n")
print(f"{c['rounds']} rounds per side, alternating, each a fresh process doing {c['warmup']} warm-up + "
      f"{c['n_per_round']} sequential streamed calls (n = {n} per side after warm-up).\n")
print("| Measure | llmspell | OpenAI SDK (node) | llmspell − SDK | ratio | raw http.client (floor) | Aim |")
print("|---|---|---|---|---|---|---|")
for name, i in (("TTFT", 0), ("Full streamed call", 1)):
    for p in (50, 90):
        a, b = pct(col("llmspell", i), p), pct(col("sdk", i), p)
        aim = ""
        if p == 50:
            aim = f"< 2 ms: **{'met' if a - b < 2 else 'missed'}**"
        print(f"| {name} p{p} | {a:.2f} ms | {b:.2f} ms | {a - b:+.2f} ms | {a / b:.3f} | {pct(col('raw', i), p):.2f} ms | {aim} |")
print(f"\nTTFT above the double's fixed latency, p50: llmspell {pct(col('llmspell', 0), 50) - c['latency_ms']:.2f} ms, "
      f"SDK {pct(col('sdk', 0), 50) - c['latency_ms']:.2f} ms, raw {pct(col('raw', 0), 50) - c['latency_ms']:.2f} ms "
      f"(the double's asyncio sleep, its response and the pipe to the harness). llmspell − raw, p50: TTFT "
      f"{pct(col('llmspell', 0), 50) - pct(col('raw', 0), 50):+.2f} ms, full call "
      f"{pct(col('llmspell', 1), 50) - pct(col('raw', 1), 50):+.2f} ms.\n")

def wf(key):
    rows = [x for x in r[key] if not x["warmup"]]
    return rows
L, S = wf("workflow_llmspell"), wf("workflow_sdk")
med = lambda rows, k: statistics.median(x[k] for x in rows)
print(f"### {c['workflow_steps']} calls in flight: provider double with {c['workflow_latency_ms']:g} ms latency\n")
print(f"One process per side, 1 warm-up + {c['workflow_rounds']} measured rounds; llmspell: one parallel workflow of "
      f"{c['workflow_steps']} agent steps (`max_concurrency({c['workflow_steps']})`, `Agent:execute`, non-streamed); "
      f"SDK: `Promise.all` of {c['workflow_steps']} `chat.completions.create`. Wall = harness time from the go line to "
      "the result line.\n")
print("| Measure | llmspell workflow | OpenAI SDK Promise.all | Aim |")
print("|---|---|---|---|")
lw, sw = med(L, "wall_ms"), med(S, "wall_ms")
print(f"| Wall, median (min / max) | {lw:.0f} ms ({min(x['wall_ms'] for x in L):.0f} / {max(x['wall_ms'] for x in L):.0f}) "
      f"| {sw:.0f} ms ({min(x['wall_ms'] for x in S):.0f} / {max(x['wall_ms'] for x in S):.0f}) "
      f"| < 400 ms: **{'met' if lw < 400 else 'missed'}** |")
print(f"| Reported duration, median (`r.duration_ms` / in-process timer) | {med(L, 'reported_ms'):.0f} ms | {med(S, 'reported_ms'):.0f} ms | |")
print(f"| Warm-up round wall | {r['workflow_llmspell'][0]['wall_ms']:.0f} ms | {r['workflow_sdk'][0]['wall_ms']:.0f} ms | |")
print(f"| Max concurrent requests seen by the double | {min(x['max_in_flight'] for x in L)} | {min(x['max_in_flight'] for x in S)} | 100 |")
print(f"| Status / requests per round | {', '.join(sorted({x['status'] for x in L}))} / {sorted({x['requests'] for x in L})} "
      f"| {', '.join(sorted({x['status'] for x in S}))} / {sorted({x['requests'] for x in S})} | |")
lb, lp = med(L, "rss_before_kb") / 1024, med(L, "rss_peak_kb") / 1024
sb, sp = med(S, "rss_before_kb") / 1024, med(S, "rss_peak_kb") / 1024
print(f"| RSS before → peak during, median | {lb:.1f} → {lp:.1f} MB | {sb:.1f} → {sp:.1f} MB | |")
steps = c["workflow_steps"]
print(f"| Memory per call in flight ((peak − before) / {steps}), median | "
      f"{statistics.median((x['rss_peak_kb'] - x['rss_before_kb']) / steps for x in L):.1f} KB | "
      f"{statistics.median((x['rss_peak_kb'] - x['rss_before_kb']) / steps for x in S):.1f} KB | |")
print(f"\nPer round (llmspell): " + "; ".join(
    f"{x['wall_ms']:.0f} ms, {x['rss_before_kb'] / 1024:.1f}→{x['rss_peak_kb'] / 1024:.1f} MB" for x in r["workflow_llmspell"]) + " (first is the warm-up). RSS before each round includes what earlier rounds left for the GC.")
