#!/usr/bin/python3
"""Markdown summary of one bench/cluster run: report_cluster.py <results dir> (reads results.json)."""
import json, os, re, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gateway"))
from bench import pct  # noqa: E402  (bench/gateway/bench.py's nearest-rank percentile)

AIM_MS = 1.0


def f(x, d=3):
    return "—" if x is None else f"{x:.{d}f}"


def sign(x, d=3):
    return "—" if x is None else f"{x:+.{d}f}"


def main(out):
    r = json.load(open(os.path.join(out, "results.json")))
    p, mb, ma = r["params"], r["machine_before"], r.get("machine_after", {})
    lines = [f"### Cluster hop and placement — {mb['utc']}{' (--quick)' if p['quick'] else ''}", ""]
    lines.append(f"Machine: {mb['nproc']} cores, {mb['cpu']}, {mb['mem_total']}; load average {' / '.join(mb['loadavg'])} "
                 f"before, {' / '.join(ma.get('loadavg', ['?'] * 3))} after; Linux {mb['kernel']}, Python {mb['python']}; "
                 f"llmspell {mb['llmspell_version']} ({mb['llmspell']}, built {mb['llmspell_mtime']}, sha256 "
                 f"{mb['llmspell_sha256_16']}…); git {mb['git']}; whole run {r.get('elapsed_s', 0):.0f} s.")
    lines.append("")
    hop = r.get("hop")
    if hop:
        d, w = hop["direct"]["summary"], hop["forwarded"]["summary"]
        lines += [f"**1. Execute round trip** (`{p['code']}` → execute_reply + idle; legacy websocket; A's default kernel; "
                  f"{p['hop_rounds']} rounds taking turns, {p['warmup_per_round']} warm-up executions per round)", "",
                  "| Path | n | min ms | p50 ms | p90 ms | p99 ms | mean ms | max ms | errors | websocket open p50 ms |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for name, label in (("direct", "direct: client → A"), ("forwarded", "forwarded: client → B → A")):
            h = hop[name]
            s = h["summary"]
            lines.append(f"| {label} | {s['n']} | {f(s['min_ms'])} | {f(s['p50_ms'])} | {f(s['p90_ms'])} | {f(s['p99_ms'])} | {f(s['mean_ms'])} | "
                         f"{f(s['max_ms'], 1)} | {len(h['errors'])} | {f(h['open']['p50_ms'], 2)} |")
        add50 = w["p50_ms"] - d["p50_ms"] if d["p50_ms"] is not None and w["p50_ms"] is not None else None
        add99 = w["p99_ms"] - d["p99_ms"] if d["p99_ms"] is not None and w["p99_ms"] is not None else None
        add90 = w["p90_ms"] - d["p90_ms"] if d["p90_ms"] is not None and w["p90_ms"] is not None else None
        lines.append(f"| **added by the hop** | | {sign(w['min_ms'] - d['min_ms'])} | **{sign(add50)}** | {sign(add90)} | **{sign(add99)}** | "
                     f"{sign(w['mean_ms'] - d['mean_ms'])} | | | {sign(hop['forwarded']['open']['p50_ms'] - hop['direct']['open']['p50_ms'], 2)} |")
        ratio50 = w["p50_ms"] / d["p50_ms"] if d["p50_ms"] else None
        ratio99 = w["p99_ms"] / d["p99_ms"] if d["p99_ms"] else None
        lines.append(f"| ratio forwarded / direct | | | {f(ratio50, 2)} | | {f(ratio99, 2)} | | | | |")
        lines.append("")
        fb = r.get("hop_forwarded_by_b", {})
        delta = {k: v - fb.get("before", {}).get(k, 0) for k, v in fb.get("after", {}).items()}
        met = add50 is not None and add50 < AIM_MS
        lines.append(f"Aim: < {AIM_MS:g} ms added at p50 — **{'met' if met else 'missed'}** ({sign(add50)} ms). "
                     f"B counted {delta or 'no'} forwarded websocket connection(s) (llmspell_cluster_forwarded_requests_total) "
                     f"during the hop measurement.")
        k = -(-p["n"] // p["hop_rounds"])
        ds, ws = hop["direct"]["samples_ms"], hop["forwarded"]["samples_ms"]
        per = [(pct(ws[i:i + k], 0.5), pct(ds[i:i + k], 0.5)) for i in range(0, min(len(ds), len(ws)), k)]
        lines.append("Added p50 per round (forwarded − direct, ms; a round is " + f"{k} executions per path): " +
                     ", ".join(sign(x - y, 2) for x, y in per if x is not None and y is not None) + ".")
        errs = [e for n in ("direct", "forwarded") for e in hop[n]["errors"]]
        if errs:
            lines.append(f"Errors: {errs[:5]}")
        lines.append("")
    starts = r.get("starts", [])
    if starts:
        lines += [f"**2. Kernel starts** (POST /api/kernels → 201, {p['clients']} concurrent clients, prespawn 0; then DELETE "
                  f"through the same URL)", "",
                  "| Target | round | kernels | wall s | starts/s | POST p50 ms | POST p99 ms | statuses | placed on | DELETE/s | DELETE statuses |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        totals = {}
        for s in starts:
            t = totals.setdefault(s["target"], {"started": 0, "wall": 0.0, "dwall": 0.0, "deleted": 0, "placed": {}, "bad": 0,
                                                "rates": []})
            t["rates"].append(s["starts_per_s"] or 0.0)
            t["started"] += s["started"]
            t["wall"] += s["wall_s"]
            t["dwall"] += s["delete_wall_s"]
            t["deleted"] += s["delete_statuses"].get("204", 0)
            t["bad"] += sum(v for k, v in s["post_statuses"].items() if k != "201") + sum(
                v for k, v in s["delete_statuses"].items() if k != "204") + len(s["left_after_delete"])
            for k, v in s["placed"].items():
                t["placed"][k] = t["placed"].get(k, 0) + v
            rnd = re.sub(r"^\S+ round ", "", s["label"])
            lines.append(f"| {s['target']} | {rnd} | {s['started']}/{s['count']} | {f(s['wall_s'], 2)} | {f(s['starts_per_s'], 1)} | "
                         f"{f(s['post']['p50_ms'], 1)} | {f(s['post']['p99_ms'], 1)} | {s['post_statuses']} | "
                         f"{', '.join(f'{k} {v}' for k, v in sorted(s['placed'].items()))} | {f(s['deletes_per_s'], 1)} | "
                         f"{s['delete_statuses']} |")
        for target, t in totals.items():
            rate = t["started"] / t["wall"] if t["wall"] else None
            t["rate"] = rate
            rs = sorted(t["rates"])
            t["median"] = (rs[(len(rs) - 1) // 2] + rs[len(rs) // 2]) / 2 if rs else None
            lines.append(f"| **{target}, all rounds** | {len(rs)} | {t['started']} | {f(t['wall'], 2)} | **{f(rate, 1)}** "
                         f"(median of rounds {f(t['median'], 1)}, min {f(rs[0] if rs else None, 1)}, max {f(rs[-1] if rs else None, 1)}) | | | | "
                         f"{', '.join(f'{k} {v}' for k, v in sorted(t['placed'].items()))} | "
                         f"{f(t['deleted'] / t['dwall'] if t['dwall'] else None, 1)} | |")
        if "single" in totals and "cluster" in totals and totals["single"]["rate"]:
            lines += ["", f"Ratio cluster / single: **{f(totals['cluster']['rate'] / totals['single']['rate'], 2)}** starts/s "
                          f"(all rounds: kernels / summed wall time; median of rounds "
                          f"{f(totals['cluster']['median'] / totals['single']['median'], 2) if totals['single']['median'] else '—'}); DELETE/s {f((totals['cluster']['deleted'] / totals['cluster']['dwall']) / (totals['single']['deleted'] / totals['single']['dwall']), 2) if totals['single']['dwall'] and totals['cluster']['dwall'] else '—'}. "
                          f"Non-2xx answers, exceptions or kernels left over: single {totals['single']['bad']}, cluster {totals['cluster']['bad']}."]
        lines.append("")
        lines.append(f"The three cluster instances and the single one run on the same {mb['nproc']} cores: more instances add no "
                     f"CPU here, so the cluster can only win by starting kernels in parallel in several processes.")
    lines.append("")
    alive = r.get("alive_end", {})
    rss = r.get("rss_kb_end", {})
    lines.append("Instances at the end: " + ", ".join(
        f"{k} {'alive' if alive.get(k) else 'DEAD'} RSS {rss.get(k, 0) / 1024:.0f} MB, exit {r['stop_exit_codes'].get(k)}" for k in alive) + ".")
    noise = ("is down: Connection refused", "No XML encryptor configured", "Microsoft.Hosting.Lifetime")
    warns = {k: [l for l in v if re.search(r"\[(WARN|ERROR|FATAL|ERR|CRIT)", l) and not any(n in l for n in noise)]
             for k, v in r.get("service_logs", {}).items()}
    if any(warns.values()):
        lines.append("Service warnings/errors (start-up peer-down and data-protection notices left out): " +
                     "; ".join(f"{k}: {len(v)} (first: {v[0][:300]})" for k, v in warns.items() if v))
    else:
        lines.append("No service warnings or errors beyond the start-up peer-down and data-protection notices.")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main(sys.argv[1]))
