#!/usr/bin/python3
"""LLM-call benchmark (issue 11): llmspell against the official OpenAI SDK (npm), same provider double, same run.

1. TTFT / full streamed call: one long-lived process per side does N sequential streamed calls and prints
   S (before the call), T (first content chunk), E (call done); lines are timestamped here as they arrive
   (unbuffered pipes). Warm-up calls are dropped. Sides alternate in rounds (llmspell, SDK, raw, llmspell, ...);
   raw (Python http.client, keep-alive, no SDK) is the floor the double and the pipe allow.
2. Parallel workflow: 100 agent steps, max_concurrency 100, against a double with 200 ms latency; wall time from
   the "go" line to the "W" line (and the workflow's own duration_ms); RSS of the llmspell process sampled every
   2 ms: before = at the go line, during = peak until W. The SDK doing 100 concurrent calls (Promise.all) is the
   reference.
Stdlib only. Loopback only. Stops only the processes it started (by Popen handle: SIGTERM, then SIGKILL).
"""
import argparse, json, os, statistics, subprocess, sys, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def start_double(latency_ms, out_dir, name):
    port_file = os.path.join(out_dir, f"{name}.port")
    log = open(os.path.join(out_dir, f"{name}.log"), "w")
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "double.py"), "--port", "0", "--latency-ms",
                             str(latency_ms), "--port-file", port_file], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(500):
        if os.path.exists(port_file):
            return proc, int(open(port_file).read())
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    stop(proc)
    raise RuntimeError("provider double did not start")


def stats(port, reset=False):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/stats", method="POST" if reset else "GET",
                                 data=b"" if reset else None)
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())


def write_config(port, out_dir, name):
    path = os.path.join(out_dir, f"{name}.toml")
    with open(path, "w") as f:
        f.write(f'[providers.openai]\nbase_url = "http://127.0.0.1:{port}/v1"\ndefault_model = "bench"\n')
    return path


class Lines:
    """Reads a child's stdout unbuffered, timestamping each complete line with perf_counter_ns at arrival."""

    def __init__(self, proc):
        self.proc, self.buf = proc, b""

    def next(self, deadline):
        while b"\n" not in self.buf:
            if time.monotonic() > deadline:
                raise TimeoutError("child too slow")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            t = time.perf_counter_ns()
            if not chunk:
                raise EOFError("child exited")
            self.buf += chunk
            self.t = t
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode().strip(), self.t


def stream_side(cmd, env, warmup, n, timeout):
    """Runs one side; returns per-call (ttft_ms, total_ms) for the calls after the warm-up, and its stderr."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env, bufsize=0)
    reader, calls, deadline = Lines(proc), [], time.monotonic() + timeout
    try:
        s = t = None
        while len(calls) < warmup + n:
            line, ts = reader.next(deadline)
            if line == "S":
                s, t = ts, None
            elif line == "T" and t is None:
                t = ts
            elif line.startswith("E"):
                calls.append(((t - s) / 1e6 if t else float("nan"), (ts - s) / 1e6))
    finally:
        stop(proc)
        err = proc.stderr.read().decode(errors="replace")[-2000:]
    return calls[warmup:], err


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None


def parallel_side(cmd, env, rounds, timeout, port):
    """Runs the workflow (or SDK Promise.all) process; per measured round: wall, reported ms, RSS before / peak."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE,
                            env=env, bufsize=0)
    samples, running = [], [True]

    def sampler():
        while running[0] and proc.poll() is None:
            r = rss_kb(proc.pid)
            if r:
                samples.append((time.perf_counter_ns(), r))
            time.sleep(0.002)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    reader, out, deadline = Lines(proc), [], time.monotonic() + timeout
    try:
        for r in range(rounds + 1):
            line, _ = reader.next(deadline)
            assert line == "READY", line
            time.sleep(0.3)  # let the process settle (GC, JIT tiering threads) before the "before" sample
            stats(port, reset=True)
            before = rss_kb(proc.pid)
            t0 = time.perf_counter_ns()
            proc.stdin.write(b"go\n")
            line, t1 = reader.next(deadline)
            parts = line.split()
            during = [kb for ts, kb in samples if t0 <= ts <= t1] + [rss_kb(proc.pid) or 0]
            st = stats(port)
            out.append({"round": r, "warmup": r == 0, "status": parts[1], "reported_ms": float(parts[2]),
                        "wall_ms": (t1 - t0) / 1e6, "rss_before_kb": before, "rss_peak_kb": max(during),
                        "requests": st["requests"], "max_in_flight": st["max_in_flight"]})
    finally:
        running[0] = False
        stop(proc)
        err = proc.stderr.read().decode(errors="replace")[-2000:]
    return out, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmspell", required=True)
    ap.add_argument("--sdk", required=True, help="path of node_modules/openai/index.mjs")
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--latency-ms", type=float, default=20)
    ap.add_argument("--workflow-latency-ms", type=float, default=200)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    warmup, n, rounds_stream = (10, 40, 2) if a.quick else (20, 200, 3)
    wf_rounds, steps = (3, 100) if a.quick else (5, 100)
    env = dict(os.environ, OPENAI_API_KEY="sk-bench", OPENAI_SDK="file://" + os.path.abspath(a.sdk),
               DOTNET_CLI_TELEMETRY_OPTOUT="1")
    result = {"config": {"warmup": warmup, "n_per_round": n, "rounds": rounds_stream, "latency_ms": a.latency_ms,
                         "workflow_latency_ms": a.workflow_latency_ms, "workflow_steps": steps,
                         "workflow_rounds": wf_rounds, "llmspell": a.llmspell}}
    doubles = []
    try:
        d1, p1 = start_double(a.latency_ms, a.out, "double-stream")
        doubles.append(d1)
        d2, p2 = start_double(a.workflow_latency_ms, a.out, "double-workflow")
        doubles.append(d2)
        cfg1, cfg2 = write_config(p1, a.out, "stream"), write_config(p2, a.out, "workflow")
        base1, base2 = f"http://127.0.0.1:{p1}/v1", f"http://127.0.0.1:{p2}/v1"
        sides = {
            "llmspell": [a.llmspell, "run", os.path.join(HERE, "stream.lua"), "--config", cfg1, "--", str(warmup + n)],
            "sdk": ["node", os.path.join(HERE, "sdk_stream.mjs"), base1, str(warmup + n)],
            "raw": [sys.executable, os.path.join(HERE, "raw_stream.py"), str(p1), str(warmup + n)],
        }
        calls = {k: [] for k in sides}
        for r in range(rounds_stream):
            for side, cmd in sides.items():
                print(f"[llm] streamed calls: {side} round {r + 1}/{rounds_stream}", file=sys.stderr)
                got, err = stream_side(cmd, env, warmup, n, 120)
                calls[side] += got
                if err.strip():
                    result.setdefault("stderr", {})[f"{side}-{r}"] = err
        result["stream_calls"] = calls
        result["stream_double_requests"] = stats(p1)["requests"]

        print("[llm] parallel workflow: llmspell", file=sys.stderr)
        wf, err = parallel_side([a.llmspell, "run", os.path.join(HERE, "workflow.lua"), "--config", cfg2, "--",
                                 str(steps), str(wf_rounds)], env, wf_rounds, 120, p2)
        result["workflow_llmspell"], result["workflow_llmspell_stderr"] = wf, err
        print("[llm] parallel calls: SDK (Promise.all)", file=sys.stderr)
        wf, err = parallel_side(["node", os.path.join(HERE, "sdk_parallel.mjs"), base2, str(steps), str(wf_rounds)],
                                env, wf_rounds, 120, p2)
        result["workflow_sdk"], result["workflow_sdk_stderr"] = wf, err
    finally:
        for d in doubles:
            stop(d)
    with open(os.path.join(a.out, "llm.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
