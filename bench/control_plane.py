#!/usr/bin/python3
"""Issue 2 benchmark: `llmspell kernel start` cold start to /health 200, idle RSS, /health under wrk.

Cold start: spawn `llmspell kernel start --port P --connection-file F` (P..P+5 free), poll GET /health every 5 ms
with http.client until 200, record the time since spawn, SIGTERM, wait. One discarded warm-up run, then R runs.
Idle RSS: VmRSS of one instance 2 s after /health first answered 200.
wrk: against that same instance at several connection counts, bounded duration, 127.0.0.1 only.
Only processes started here are stopped, by the PID recorded at launch.
"""
import argparse, http.client, json, os, random, re, signal, socket, statistics, subprocess, sys, tempfile, time


def free_port_block(count=6):
    for _ in range(200):
        base = random.randint(20000, 32000)  # below the ephemeral range (32768+)
        socks = []
        try:
            for p in range(base, base + count):
                s = socket.socket()
                s.bind(("127.0.0.1", p))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port block")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def cpu_s(pid):
    """utime+stime of a process in seconds (load-independent start-up cost)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def health_ok(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/health")
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


def spinning(cf):
    """Starts `while true do end` on the kernel (jupyter_client) and returns the client; interrupt() ends it."""
    from jupyter_client import BlockingKernelClient
    kc = BlockingKernelClient()
    kc.load_connection_file(cf)
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    kc.execute("while true do end")
    time.sleep(0.5)
    return kc


def start(llmspell, workdir, log, timeout=30.0):
    port = free_port_block()
    cf = os.path.join(workdir, f"cp-{port}.json")
    t0 = time.perf_counter()
    proc = subprocess.Popen([llmspell, "kernel", "start", "--port", str(port), "--connection-file", cf],
                            stdout=log, stderr=log, start_new_session=True)
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if health_ok(port):
            t = time.perf_counter() - t0
            proc.cpu_at_ready = cpu_s(proc.pid)
            proc.connection_file = cf
            return proc, port, t
        if proc.poll() is not None:
            raise RuntimeError(f"llmspell exited with {proc.returncode} before /health answered")
        time.sleep(0.005)
    stop(proc)
    raise TimeoutError("/health did not answer 200 in time")


def stop(proc):
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(5)


def to_ms(v, unit):
    return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def wrk(port, conns, duration):
    threads = min(2, conns)
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--timeout", "2s", "--latency", f"http://127.0.0.1:{port}/health"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout
    r = {"command": " ".join(cmd), "connections": conns, "threads": threads, "duration_s": duration}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["requests_per_s"] = float(m.group(1)) if m else None
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        r[f"p{p}_ms"] = to_ms(*m.groups()) if m else None
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    r["socket_errors"] = m.group(1).strip() if m else None
    r["raw"] = out
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmspell", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    runs, duration = (5, 3) if a.quick else (10, 10)
    workdir = tempfile.mkdtemp(prefix="llmspell-cp-")
    log = open(os.path.join(os.path.dirname(a.out), "control-plane.log"), "ab")

    proc, _, _ = start(a.llmspell, workdir, log)  # warm-up (page cache), discarded
    stop(proc)
    times, cpus, exits = [], [], []
    for _ in range(runs):
        proc, _, t = start(a.llmspell, workdir, log)
        times.append(t)
        cpus.append(proc.cpu_at_ready)
        exits.append(stop(proc))
    res = {"cold_start_s": times, "cold_start_cpu_s": cpus, "cold_start_cpu_median_s": statistics.median(cpus), "cold_start_median_s": statistics.median(times), "cold_start_min_s": min(times),
           "cold_start_max_s": max(times), "sigterm_exit_codes": exits}
    print(f"[control] start->/health 200 median {statistics.median(times) * 1000:.0f} ms", file=sys.stderr, flush=True)

    # Same-run CPU-contention reference: bare process start-ups measured with hyperfine.
    hf = os.path.join(os.path.dirname(a.out), "hyperfine-baseline.json")
    cmd = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--export-json", hf,
           f"{a.llmspell} --version", "/usr/bin/python3 -c pass"]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    try:
        with open(hf) as f:
            res["baseline"] = {"command": " ".join(cmd), "results": [
                {"command": r["command"], "median_s": r["median"], "min_s": r["min"], "max_s": r["max"]} for r in json.load(f)["results"]]}
    except (OSError, ValueError, KeyError):
        res["baseline"] = None

    proc, port, t = start(a.llmspell, workdir, log)
    try:
        time.sleep(2)
        res["idle_rss_kb"] = rss_kb(proc.pid)
        res["wrk"] = []
        for conns in (1, 16, 64):
            res["wrk"].append(wrk(port, conns, duration))
            print(f"[control] wrk c={conns}: {res['wrk'][-1]['requests_per_s']} req/s p99 {res['wrk'][-1]['p99_ms']} ms", file=sys.stderr, flush=True)
        res["rss_after_wrk_kb"] = rss_kb(proc.pid)
        # The same load while a Lua cell spins on the kernel's execution thread: the control plane must not starve.
        kc = spinning(proc.connection_file)
        try:
            res["wrk_spinning"] = wrk(port, 64, duration)
            print(f"[control] wrk c=64 while a cell spins: p99 {res['wrk_spinning']['p99_ms']} ms", file=sys.stderr, flush=True)
        finally:
            kc.control_channel.send(kc.session.msg("interrupt_request", {}))
            kc.stop_channels()
    finally:
        res["final_exit_code"] = stop(proc)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
