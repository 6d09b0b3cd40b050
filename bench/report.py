#!/usr/bin/python3
"""Markdown summary of one bench/run.sh result directory: the AOT and JIT builds side by side, then each in detail."""
import json, os, sys

d = sys.argv[1]
J = lambda n: json.load(open(os.path.join(d, n)))
mb, ma = J("machine-before.json"), J("machine-after.json")
builds = {b: (J(f"{b}/control.json"), J(f"{b}/kernel.json")) for b in ("aot", "jit")}
cp, k = builds["aot"]


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

def detail(label, cp, k):
    L, I = k["kernels"]["llmspell"], k["kernels"]["ipykernel"]
    p(f"### Control plane — {label}\n")
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

    p(f"### Kernel — {label}: llmspell vs ipykernel, same client, same run\n")
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
    p(f"\n### Memory growth — {label} (llmspell, C# client, window 64)\n")
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



def side_by_side():
    (ca, ka), (cj, kj) = builds["aot"], builds["jit"]
    La, Lj, I = ka["kernels"]["llmspell"], kj["kernels"]["llmspell"], ka["kernels"]["ipykernel"]
    w64 = lambda c: next((w for w in c["wrk"] if w["connections"] == 64), {})
    p("### Side by side: Native AOT, JIT, ipykernel (same run)\n")
    p("| Measure | AOT | JIT | ipykernel | AOT vs ipykernel | Aim |\n|---|---|---|---|---|---|")
    p(f"| `kernel start` to `/health` 200, median | {f(ca['cold_start_median_s'] * 1000)} ms | {f(cj['cold_start_median_s'] * 1000)} ms | "
      f"{f(I['startup_median_s'] * 1000)} ms (launch to kernel_info_reply) | {ratio(ca['cold_start_median_s'], I['startup_median_s'])} of it | "
      f"≤ 100 ms: {met(ca['cold_start_median_s'] <= 0.1)}; ≤ 0.2x: {met(ca['cold_start_median_s'] <= 0.2 * I['startup_median_s'])} |")
    p(f"| `kernel run` (kernelspec launch) to first kernel_info_reply, median | {f(La['startup_median_s'] * 1000)} ms | {f(Lj['startup_median_s'] * 1000)} ms | "
      f"{f(I['startup_median_s'] * 1000)} ms | {ratio(La['startup_median_s'], I['startup_median_s'])} of it | "
      f"≤ 50 ms: {met(La['startup_median_s'] <= 0.05)}; ≤ 0.1x: {met(La['startup_median_s'] <= 0.1 * I['startup_median_s'])} |")
    p(f"| Service idle RSS 2 s after healthy | {f(ca['idle_rss_kb'] / 1024, 1)} MB | {f(cj['idle_rss_kb'] / 1024, 1)} MB | | | ≤ 50 MB: {met(ca['idle_rss_kb'] <= 50 * 1024)} |")
    p(f"| `kernel run` idle RSS | {f(La['idle_rss_kb'] / 1024, 1)} MB | {f(Lj['idle_rss_kb'] / 1024, 1)} MB | {f(I['idle_rss_kb'] / 1024, 1)} MB | "
      f"{ratio(La['idle_rss_kb'], I['idle_rss_kb'])} of it | ≤ 30 MB: {met(La['idle_rss_kb'] <= 30 * 1024)} |")
    p(f"| `/health` p99 at 64 connections (wrk) | {f(w64(ca).get('p99_ms'), 2)} ms | {f(w64(cj).get('p99_ms'), 2)} ms | | | < 5 ms: {met((w64(ca).get('p99_ms') or 99) < 5)} |")
    sa, sj = ca.get("wrk_spinning", {}), cj.get("wrk_spinning", {})
    p(f"| `/health` p99 at 64 connections while a cell spins | {f(sa.get('p99_ms'), 2)} ms ({f(sa.get('requests_per_s'))} req/s) | "
      f"{f(sj.get('p99_ms'), 2)} ms ({f(sj.get('requests_per_s'))} req/s) | | | not starved: {met(bool(sa.get('requests')) and sa.get('non_2xx') == 0)} |")
    for c, name in (("python-bkc", "Python BlockingKernelClient"), ("csharp-netmq", "C# NetMQ client")):
        a, j, b = La[c], Lj[c], I[c]
        get = (lambda x: x.get("latency", {})) if c == "csharp-netmq" else (lambda x: x)
        p(f"| {name}: execute p50 / p99 | {f(get(a).get('p50_us'))} / {f(get(a).get('p99_us'))} µs | {f(get(j).get('p50_us'))} / {f(get(j).get('p99_us'))} µs | "
          f"{f(get(b).get('p50_us'))} / {f(get(b).get('p99_us'))} µs | p50 {ratio(get(b).get('p50_us'), get(a).get('p50_us'))} faster | |")
    for label, kk in (("AOT", ka), ("JIT", kj)):
        g = kk["growth"]
        if "failed" not in g:
            first, last = g["rss"][0]["rss_kb"], g["rss"][-1]["rss_kb"]
            p(f"| Memory growth, {label}: {g['completed']:,} executions | {f((last - first) / 1024, 1)} MB | | | | < 5 MB: {met(last - first < 5 * 1024)} |")
    p("")


side_by_side()
for name, (c, kk) in (("Native AOT", builds["aot"]), ("JIT", builds["jit"])):
    detail(name, c, kk)
print("\n".join(out))
