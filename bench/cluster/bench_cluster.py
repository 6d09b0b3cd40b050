#!/usr/bin/python3
"""Cluster benchmark (issue 13): three llmspell instances on loopback in cluster mode, plus one instance alone.

1. The cost of the hop: execute round trip of `return 1` (execute_request -> execute_reply AND status idle of that
   parent), sequential, window 1, over the websocket (legacy JSON protocol) to instance A's default kernel,
     direct     connected to A itself
     forwarded  connected to B, which forwards the websocket to A (YARP)
   The two paths take turns in rounds (each round: open the websocket, warm up, measure n/rounds, close), so only one
   client is connected at a time and drift in machine load is spread over both.
2. Kernel starts per second: POST /api/kernels from CLIENTS concurrent clients (one keep-alive connection each) as
   fast as they go, for a fixed count per round (several rounds), against
     single     one instance with [cluster] enabled = false
     cluster    the three-instance cluster through A's URL (A places each kernel on the least-loaded instance)
   then DELETE them through the same URL (timed too, not the headline). The two targets take turns in rounds,
   each round after a pause of PAUSE_S (> the peers' 1 s poll, so placement sees every instance's fresh load).
Every instance: [kernels] prespawn = 0 (every start is cold), max_kernels = count + 4, [security]
rate_limit_per_minute = 0; the cluster shares one hmac_key, which is also the REST token.
Loopback only; every loop is bounded in count and time. Only processes started here are stopped, by their Popen
handle (SIGTERM, then SIGKILL); their PIDs and start times go to <out>/pids for run.sh's trap.
Reuses the gateway benchmark's websocket client (bench/gateway/wsproto.py) and process/HTTP helpers (bench.py).
"""
import argparse, hashlib, json, os, platform, re, secrets, shutil, signal, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gateway"))
import wsproto  # noqa: E402
import bench as gw  # noqa: E402  (bench/gateway/bench.py: pct, summary, free_port, spawn, stop, Http, wait_http)

CODE = "return 1"
PAUSE_S = 1.5  # before each start round: longer than the peers' 1 s poll, so placement starts from fresh loads


def log(msg):
    print(f"[cluster] {msg}", file=sys.stderr, flush=True)


class Instance:
    """`llmspell kernel start` with its own config, runtime dir, HOME and XDG dirs, and a block of 6 ports."""

    def __init__(self, llmspell, root, name, token, port, peers, max_kernels):
        self.name, self.token, self.port = name, token, port
        self.dir = os.path.join(root, name)
        for d in ("work", "run", "xdg", "state"):
            os.makedirs(os.path.join(self.dir, d), mode=0o700)
        cfg = os.path.join(self.dir, "kernel.toml")
        cluster = ""
        if peers:
            cluster = (f'[cluster]\nenabled = true\ninstance_id = "{name}"\n'
                       f'peers = [{", ".join(json.dumps(p) for p in peers)}]\ndrain_timeout = 5\n')
        with open(cfg, "w") as f:
            f.write(f'[daemon]\nworking_dir = "{self.dir}/work"\npid_file = "{self.dir}/kernel.pid"\n'
                    f'[logging]\nlog_level = "warn"\n'
                    f'[security]\nhmac_key = "{token}"\nrate_limit_per_minute = 0\n'
                    f'[kernels]\nprespawn = 0\nmax_kernels = {max_kernels}\n{cluster}')
        os.chmod(cfg, 0o600)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LLMSPELL_", "KERNEL_", "XDG_"))}
        env.update(HOME=self.dir, XDG_RUNTIME_DIR=os.path.join(self.dir, "xdg"),
                   XDG_STATE_HOME=os.path.join(self.dir, "state"), LLMSPELL_RUNTIME_DIR=os.path.join(self.dir, "run"))
        self.log_path = os.path.join(self.dir, "service.log")
        self.proc = gw.spawn([llmspell, "kernel", "start", "--config", cfg, "--port", str(port),
                              "--connection-file", os.path.join(self.dir, "kernel.json")], self.log_path, env)
        self.base_ws = f"ws://127.0.0.1:{port}"
        self.url = f"http://127.0.0.1:{port}"

    def http(self):
        return gw.Http(self.port, self.token)

    def get(self, path):
        h = self.http()
        try:
            return h.call("GET", path)
        finally:
            h.close()

    def metrics(self):
        st, body = self.get("/metrics")
        return body.decode() if isinstance(body, bytes) else str(body)

    def forwarded(self):
        """llmspell_cluster_forwarded_requests_total by outcome."""
        out = {}
        for m in re.finditer(r'^llmspell_cluster_forwarded_requests_total\{outcome="([^"]+)"\} (\S+)$', self.metrics(), re.M):
            out[m.group(1)] = float(m.group(2))
        return out

    def rss_kb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                return int(next(l.split()[1] for l in f if l.startswith("VmRSS:")))
        except (OSError, StopIteration):
            return None

    def log_lines(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return [l.rstrip("\n") for l in f if l.strip()]
        except OSError:
            return []


def port_blocks(n):
    """n non-overlapping blocks of 6 free loopback ports (HTTP + the default kernel's five)."""
    blocks = []
    while len(blocks) < n:
        p = gw.free_port(6)
        if all(abs(p - b) >= 6 for b in blocks):
            blocks.append(p)
    return blocks


def wait_peers_up(instances, timeout):
    """Until every instance's GET /api/cluster shows its len-1 peers up (they poll each other every second)."""
    deadline = time.monotonic() + timeout
    views = {}
    while time.monotonic() < deadline:
        ok = True
        for i in instances:
            st, body = i.get("/api/cluster")
            views[i.name] = body
            up = [p for p in (body.get("peers", []) if isinstance(body, dict) else []) if p.get("up")]
            ok = ok and st == 200 and len(up) >= len(instances) - 1
        if ok:
            return views
        time.sleep(0.2)
    raise TimeoutError(f"not every instance saw its peers up within {timeout} s: {json.dumps(views)[:2000]}")


def default_kernel(inst):
    st, ks = inst.get("/api/kernels")
    mine = [k for k in ks if k.get("default") and k.get("instance", inst.name) == inst.name]
    if st != 200 or len(mine) != 1:
        raise RuntimeError(f"no single default kernel of {inst.name}: {st} {ks}")
    return mine[0]["id"]


# ---------------------------------------------------------------- 1. the hop

def hop_bench(paths, kid, token, n, warmup, rounds, deadline):
    """paths: [(name, Instance)]; returns per path: samples (s), errors, websocket open times (s)."""
    res = {name: {"samples": [], "errors": [], "open_s": [], "statuses": {}} for name, _ in paths}
    per_round = -(-n // rounds)
    for r in range(rounds):
        for name, inst in (paths if r % 2 == 0 else paths[::-1]):
            if time.monotonic() > deadline:
                res[name]["errors"].append(f"round {r}: time limit reached before this round")
                continue
            d = res[name]
            t0 = time.perf_counter()
            ch = wsproto.Channels(inst.base_ws, kid, token, timeout=30)
            d["open_s"].append(time.perf_counter() - t0)
            try:
                for _ in range(warmup):
                    ch.execute(CODE)
                for _ in range(per_round):
                    if time.monotonic() > deadline:
                        d["errors"].append(f"round {r}: time limit reached")
                        break
                    t0 = time.perf_counter()
                    try:
                        status = ch.execute(CODE, timeout=10)
                    except Exception as e:  # a timeout or a closed websocket: note it, open a new one
                        d["errors"].append(f"round {r}: {type(e).__name__}: {e}")
                        ch.close()
                        ch = wsproto.Channels(inst.base_ws, kid, token, timeout=30)
                        continue
                    dt = time.perf_counter() - t0
                    d["statuses"][status] = d["statuses"].get(status, 0) + 1
                    d["samples"].append(dt)
            finally:
                ch.close()
        log(f"hop round {r + 1}/{rounds}: " + ", ".join(
            f"{name} p50 {gw.pct(res[name]['samples'], 0.5) * 1000:.3f} ms" for name, _ in paths if res[name]["samples"]))
    return res


# ---------------------------------------------------------------- 2. kernel starts

def concurrently(inst, items, clients, fn, deadline):
    """Runs fn(http, item) for every item from `clients` threads (one keep-alive connection each);
    returns (wall s, [results in completion order])."""
    lock = threading.Lock()
    queue = list(items)
    results = []
    start = threading.Barrier(clients + 1)

    def worker(w):
        h = inst.http()
        start.wait()
        try:
            while True:
                with lock:
                    if not queue or time.monotonic() > deadline:
                        return
                    item = queue.pop(0)
                t0 = time.perf_counter()
                try:
                    status, body = fn(h, item)
                except Exception as e:
                    status, body = f"{type(e).__name__}: {e}", None
                t1 = time.perf_counter()
                with lock:
                    results.append({"item": item, "status": status, "s": t1 - t0, "end": t1, "client": w,
                                    "body": body})
        finally:
            h.close()

    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = (max(r["end"] for r in results) - t0) if results else 0.0
    for r in results:
        r["end"] -= t0
    return wall, results


def post_kernel(h, _):
    return h.call("POST", "/api/kernels", {"name": "llmspell"})


def delete_kernel(h, kid):
    return h.call("DELETE", f"/api/kernels/{kid}")


def start_round(target, inst, count, clients, deadline, label):
    wall, posts = concurrently(inst, range(count), clients, post_kernel, deadline)
    ids = [p["body"]["id"] for p in posts if p["status"] == 201 and isinstance(p["body"], dict)]
    placed = {}
    st, listing = inst.get("/api/kernels")
    listed = {k["id"]: k for k in listing} if st == 200 and isinstance(listing, list) else {}
    for kid in ids:
        where = listed.get(kid, {}).get("instance") or ("(not listed)" if kid not in listed else inst.name)
        placed[where] = placed.get(where, 0) + 1
    states = {}
    for kid in ids:
        s = listed.get(kid, {}).get("execution_state", "?")
        states[s] = states.get(s, 0) + 1
    dwall, dels = concurrently(inst, ids, clients, delete_kernel, deadline + 60)
    st, after = inst.get("/api/kernels")
    left = [k["id"] for k in after if not k.get("default")] if isinstance(after, list) else ["?"]
    statuses = {}
    for p in posts:
        statuses[str(p["status"])] = statuses.get(str(p["status"]), 0) + 1
    dstat = {}
    for d in dels:
        dstat[str(d["status"])] = dstat.get(str(d["status"]), 0) + 1
    problems = [{"status": p["status"], "body": p["body"] if not isinstance(p["body"], bytes) else p["body"][:500].decode(errors="replace")}
                for p in posts + dels if p["status"] not in (201, 204)]
    r = {"target": target, "label": label, "count": count, "clients": clients, "wall_s": wall,
         "started": len(ids), "starts_per_s": len(ids) / wall if wall else None,
         "post": gw.summary([p["s"] for p in posts if p["status"] == 201]), "post_statuses": statuses,
         "placed": placed, "states_after": states, "listed_total": len([k for k in listed.values() if not k.get("default")]),
         "delete_wall_s": dwall, "deletes_per_s": len(dels) / dwall if dwall else None,
         "delete": gw.summary([d["s"] for d in dels if d["status"] == 204]), "delete_statuses": dstat,
         "left_after_delete": left, "problems": problems[:20],
         "post_timeline": [(round(p["end"], 4), p["client"], p["status"]) for p in posts]}
    log(f"starts {label}: {len(ids)}/{count} in {wall:.2f} s = {r['starts_per_s'] or 0:.1f}/s, POST p50 "
        f"{(r['post']['p50_ms'] or 0):.1f} ms, placed {placed}, statuses {statuses}, deletes {dstat}, left {len(left)}")
    return r


def machine(llmspell):
    def sh(*c):
        try:
            return subprocess.run(c, capture_output=True, text=True, timeout=30).stdout.strip()
        except Exception as e:
            return str(e)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    st = os.stat(llmspell)
    with open(llmspell, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return {"nproc": os.cpu_count(), "cpu": cpu, "loadavg": open("/proc/loadavg").read().split()[:3],
            "mem_total": next(l.split(":")[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")),
            "kernel": platform.release(), "python": platform.python_version(), "llmspell": os.path.abspath(llmspell),
            "llmspell_version": sh(llmspell, "--version"), "llmspell_mtime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(st.st_mtime)),
            "llmspell_sha256_16": digest, "git": sh("git", "-C", HERE, "rev-parse", "--short", "HEAD"),
            "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmspell", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, help="measured executions per path (default 2000, --quick 300)")
    ap.add_argument("--kernels", type=int, help="kernel starts per round and target (default 60, --quick 24)")
    ap.add_argument("--start-rounds", type=int, help="start rounds per target, taking turns (default 6, --quick 4)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--time-limit", type=float, default=None, help="seconds for the whole run (default 420, --quick 150)")
    a = ap.parse_args()
    n = a.n or (300 if a.quick else 2000)
    count = a.kernels or (24 if a.quick else 60)
    limit = a.time_limit or (150 if a.quick else 420)
    warmup = 20 if a.quick else 50
    hop_rounds = 4 if a.quick else 8
    start_rounds = a.start_rounds or (4 if a.quick else 6)
    began = time.monotonic()
    deadline = began + limit
    os.makedirs(a.out, exist_ok=True)
    gw.PIDS_FILE = os.path.join(a.out, "pids")
    root = tempfile.mkdtemp(prefix="llmspell-cluster-bench-")  # configs, runtime dirs, logs; logs copied to <out>/logs
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    result = {"params": {"n": n, "warmup_per_round": warmup, "hop_rounds": hop_rounds, "kernels": count,
                         "start_rounds": start_rounds, "pause_before_start_round_s": PAUSE_S, "clients": a.clients, "code": CODE, "quick": a.quick,
                         "time_limit_s": limit},
              "machine_before": machine(a.llmspell)}
    instances = []
    try:
        token = secrets.token_hex(24)
        names = ["a", "b", "c"]
        ports = port_blocks(4)
        peers = [f"http://127.0.0.1:{p}" for p in ports[:3]]
        max_kernels = count + 4
        t0 = time.perf_counter()
        cluster = [Instance(a.llmspell, root, nm, token, p, peers, max_kernels) for nm, p in zip(names, ports[:3])]
        single = Instance(a.llmspell, root, "single", secrets.token_hex(24), ports[3], None, max_kernels)
        instances = cluster + [single]
        for i in instances:
            gw.wait_http(i.port, "/health", i.proc, 60)
        healthy_s = time.perf_counter() - t0
        views = wait_peers_up(cluster, 30)
        result["cluster_up_s"] = time.perf_counter() - t0
        result["healthy_s"] = healthy_s
        result["cluster_view"] = views
        log(f"4 instances healthy in {healthy_s:.2f} s, every cluster instance sees its peers up after "
            f"{result['cluster_up_s']:.2f} s")
        A, B = cluster[0], cluster[1]
        kid = default_kernel(A)
        result["hop_kernel"] = kid
        fwd_before = B.forwarded()
        hop = hop_bench([("direct", A), ("forwarded", B)], kid, token, n, warmup, hop_rounds,
                        min(deadline - 60, time.monotonic() + limit * 0.55))
        fwd_after = B.forwarded()
        result["hop"] = {name: {"summary": gw.summary(d["samples"]), "errors": d["errors"], "statuses": d["statuses"],
                                "open": gw.summary(d["open_s"]), "samples_ms": [round(x * 1000, 4) for x in d["samples"]]}
                         for name, d in hop.items()}
        result["hop_forwarded_by_b"] = {"before": fwd_before, "after": fwd_after}
        # kernel starts: warm-up (each target's start path once per instance), then rounds taking turns
        for target, inst, w in (("single", single, 1), ("cluster", A, 3)):
            wall, posts = concurrently(inst, range(w), 1, post_kernel, deadline)
            ids = [p["body"]["id"] for p in posts if p["status"] == 201]
            concurrently(inst, ids, 1, delete_kernel, deadline)
        starts = []
        for r in range(start_rounds):
            order = [("single", single), ("cluster", A)]
            for target, inst in (order if r % 2 == 0 else order[::-1]):
                if time.monotonic() > deadline - 20:
                    log(f"time limit: start round {r + 1} {target} skipped")
                    continue
                time.sleep(PAUSE_S)  # every peer has polled the others since the last deletes (fresh loads)
                starts.append(start_round(target, inst, count, a.clients, deadline, f"{target} round {r + 1}"))
        result["starts"] = starts
        result["rss_kb_end"] = {i.name: i.rss_kb() for i in instances}
        result["alive_end"] = {i.name: i.proc.poll() is None for i in instances}
        result["cluster_view_end"] = {i.name: i.get("/api/cluster")[1] for i in cluster}
    finally:
        result["stop_exit_codes"] = {i.name: gw.stop(i.proc) for i in instances}
        result["service_logs"] = {i.name: i.log_lines()[-200:] for i in instances}
        os.makedirs(os.path.join(a.out, "logs"), exist_ok=True)
        for i in instances:
            if os.path.exists(i.log_path):
                shutil.copy(i.log_path, os.path.join(a.out, "logs", f"{i.name}.log"))
        if all(i.proc.poll() is not None for i in instances):
            shutil.rmtree(root, ignore_errors=True)
        result["machine_after"] = machine(a.llmspell)
        result["elapsed_s"] = time.monotonic() - began
        with open(os.path.join(a.out, "results.json"), "w") as f:
            json.dump(result, f, indent=1, default=str)
    log(f"done in {result['elapsed_s']:.0f} s")


if __name__ == "__main__":
    main()
