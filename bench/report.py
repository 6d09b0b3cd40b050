#!/usr/bin/python3
"""Markdown summary of one bench/run.sh result directory."""
import json, os, sys

d = sys.argv[1]
J = lambda n: json.load(open(os.path.join(d, n)))
mb, ma, cp, k = J("machine-before.json"), J("machine-after.json"), J("control.json"), J("kernel.json")
L, I = k["kernels"]["llmspell"], k["kernels"]["ipykernel"]


def f(v, nd=0):
    return "n/a" if v is None else f"{v:,.{nd}f}"


def ratio(a, b):
    return "n/a" if not a or not b else f"{a / b:.1f}x"


def met(ok):
    return "**met**" if ok else "**missed**"


out = []
p = out.append
p(f"Run `{os.path.basename(d)}`{' (--quick)' if k['quick'] else ''}, commit {mb['git']}, {open(os.path.join(d, 'elapsed_s')).read().strip()} s total.\n")
p(f"Machine: {mb['nproc']} CPUs, {mb['cpu']}, {mb['mem_total']}, Linux {mb['kernel']}; load average (1/5/15 min) "
  f"before {' '.join(mb['loadavg'])}, after {' '.join(ma['loadavg'])}. .NET SDK {mb['dotnet']}; Python {mb['python']}, "
  f"jupyter_client {mb['jupyter_client']}, ipykernel {mb['ipykernel']}, pyzmq {mb['pyzmq']} (libzmq {mb['libzmq']}); {mb['wrk']}; {mb['hyperfine']}.\n")

p("### Control plane (issue 2)\n")
p("| Measure | Result | Target | |\n|---|---|---|---|")
n = len(cp["cold_start_s"])
p(f"| `kernel start` to `/health` 200, median of {n} (min / max) | {f(cp['cold_start_median_s'] * 1000)} ms "
  f"({f(cp['cold_start_min_s'] * 1000)} / {f(cp['cold_start_max_s'] * 1000)}) | < 400 ms | {met(cp['cold_start_median_s'] < 0.4)} |")
p(f"| CPU time (user+sys) used by then, median | {f(cp['cold_start_cpu_median_s'] * 1000)} ms | | |")
p(f"| Idle RSS 2 s after healthy | {f(cp['idle_rss_kb'] / 1024, 1)} MB | < 80 MB | {met(cp['idle_rss_kb'] < 80 * 1024)} |")
for w in cp["wrk"]:
    tgt = "< 5 ms" if w["connections"] == 64 else ""
    ok = met(w["p99_ms"] is not None and w["p99_ms"] < 5) if w["connections"] == 64 else ""
    p(f"| `/health` wrk -c{w['connections']} -t{w['threads']} {w['duration_s']} s: req/s, p50 / p99 | {f(w['requests_per_s'])} req/s, "
      f"{f(w['p50_ms'], 2)} / {f(w['p99_ms'], 2)} ms (non-2xx {w['non_2xx']}) | {tgt} | {ok} |")
p(f"| RSS after the wrk runs | {f(cp['rss_after_wrk_kb'] / 1024, 1)} MB | | |")
p(f"| SIGTERM exit codes | {sorted(set(cp['sigterm_exit_codes'] + [cp['final_exit_code']]))} | 0 | |")
if cp.get("baseline"):
    p("\nSame-run start-up baselines (hyperfine, CPU-contention reference): " + "; ".join(
        f"`{r['command']}` median {f(r['median_s'] * 1000)} ms" for r in cp["baseline"]["results"]) + ".\n")

p("### Kernel (issue 3): llmspell vs ipykernel, same client, same run\n")
p("| Measure | llmspell | ipykernel | llmspell advantage | Aim |\n|---|---|---|---|---|")
p(f"| Launch to first kernel_info_reply, median of {len(L['startup_s'])} | {f(L['startup_median_s'] * 1000)} ms | "
  f"{f(I['startup_median_s'] * 1000)} ms | {ratio(I['startup_median_s'], L['startup_median_s'])} | < 300 ms: {met(L['startup_median_s'] < 0.3)} |")
p(f"| CPU time used by then, median | {f(L['startup_cpu_median_s'] * 1000)} ms | {f(I['startup_cpu_median_s'] * 1000)} ms | "
  f"{ratio(I['startup_cpu_median_s'], L['startup_cpu_median_s'])} | |")
p(f"| Idle RSS (2 s after first reply) | {f(L['idle_rss_kb'] / 1024, 1)} MB | {f(I['idle_rss_kb'] / 1024, 1)} MB | "
  f"{ratio(I['idle_rss_kb'], L['idle_rss_kb'])} | |")
p(f"| RSS after all latency/throughput runs | {f(L['rss_after_kb'] / 1024, 1)} MB | {f(I['rss_after_kb'] / 1024, 1)} MB | | |")
names = {"python-bkc": "Python `BlockingKernelClient`", "python-session": "Python raw pyzmq + `Session`"}
for c in ("python-bkc", "python-session"):
    a, b = L[c], I[c]
    p(f"| {names[c]}: execute round trip p50 / p99 (n={a['n']} / {b['n']}) | {f(a['p50_us'])} / {f(a['p99_us'])} µs | "
      f"{f(b['p50_us'])} / {f(b['p99_us'])} µs | p50 {ratio(b['p50_us'], a['p50_us'])} | ≥ 5x: {met(b['p50_us'] >= 5 * a['p50_us'])} |")
    pa, pb = a["pipelined"], b["pipelined"]
    p(f"| {names[c]}: pipelined {pa['n']} executes | {f(pa['throughput_per_s'])}/s | {f(pb['throughput_per_s'])}/s | "
      f"{ratio(pa['throughput_per_s'], pb['throughput_per_s'])} | ≥ 5x: {met(pa['throughput_per_s'] >= 5 * pb['throughput_per_s'])} |")
a, b = L["csharp-netmq"], I["csharp-netmq"]
if all("failed" not in x for x in (a["latency"], b["latency"], a["pipelined"], b["pipelined"])):
    al, bl, ap_, bp = a["latency"], b["latency"], a["pipelined"], b["pipelined"]
    p(f"| C# NetMQ client: execute round trip p50 / p99 (n={al['completed']} / {bl['completed']}) | {f(al['p50_us'])} / {f(al['p99_us'])} µs | "
      f"{f(bl['p50_us'])} / {f(bl['p99_us'])} µs | p50 {ratio(bl['p50_us'], al['p50_us'])} | ≥ 5x: {met(bl['p50_us'] >= 5 * al['p50_us'])} |")
    p(f"| C# NetMQ client: pipelined {ap_['n']} executes | {f(ap_['throughput_per_s'])}/s | {f(bp['throughput_per_s'])}/s | "
      f"{ratio(ap_['throughput_per_s'], bp['throughput_per_s'])} | ≥ 5x: {met(ap_['throughput_per_s'] >= 5 * bp['throughput_per_s'])} |")
else:
    p(f"| C# NetMQ client | failed: {json.dumps(a)[:300]} | {json.dumps(b)[:300]} | | |")
lost = {f"{kn}/{c}": k["kernels"][kn][c]["pipelined"]["incomplete"] for kn in ("llmspell", "ipykernel") for c in ("python-bkc", "python-session")}
if any(lost.values()):
    p(f"\nIncomplete pipelined executions (reply or idle never seen within the time limit): {lost}\n")

g = k["growth"]
p("\n### Memory growth (llmspell, C# client, window 64)\n")
if "failed" in g:
    p(f"failed: {json.dumps(g)[:500]}")
else:
    p(f"{g['host']}: {g['completed']:,} executions of `{g['code']}` in {f(g['elapsed_s'], 1)} s ({f(g['throughput_per_s'])}/s), {g['errors']} errors.\n")
    p("| Executions | " + " | ".join(f"{r['executions']:,}" + (" (+2 s idle)" if "after_settle_s" in r else "") for r in g["rss"]) + " |")
    p("|---" * (len(g["rss"]) + 1) + "|")
    p("| RSS (MB) | " + " | ".join(f(r["rss_kb"] / 1024, 1) for r in g["rss"]) + " |")
    first, last = g["rss"][0]["rss_kb"], g["rss"][-1]["rss_kb"]
    p(f"\nGrowth: {f((last - first) / 1024, 1)} MB over {g['completed']:,} executions ({f((last - first) * 1024 / max(1, g['completed']))} bytes/execution). "
      f"Aim \"no memory growth\": {met(last - first < 5 * 1024)} (threshold used: < 5 MB).")
print("\n".join(out))
