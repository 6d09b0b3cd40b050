#!/usr/bin/python3
"""Jupyter gateway benchmark (issue 12): one llmspell service, several ways to reach one of its kernels, same run.

1. Execute round trip of `return 1` (execute_request -> execute_reply AND status idle of that parent), sequential,
   window 1, on one kernel (started through Jupyter Server's POST /api/kernels, so every path can reach it):
     zmq-bkc         jupyter_client BlockingKernelClient on the kernel's connection file (the baseline of the ratios)
     zmq-session     raw pyzmq DEALER + SUB with jupyter_client.session.Session (less client overhead: the floor)
     ws-legacy       llmspell's /api/kernels/{id}/channels, legacy JSON protocol (python3-websocket)
     ws-v1           the same, subprotocol v1.kernel.websocket.jupyter.org
     jupyter-server  Jupyter Server 1.23 in gateway mode: websocket to its /api/kernels/{id}/channels, which relays
                     to llmspell's (legacy protocol on both hops)
     jupyter-server-patched  diagnostic: a second Jupyter Server with the two local fixes in PATCH below
   and, with --csharp, bench/LlmSpell.Bench's NetMQ client once after the rounds (the kernel's own ZeroMQ speed).
   The paths take turns in rounds (each round: every path opens its client, warms up, measures n/rounds, closes),
   so only one client is connected at a time and drift in machine load is spread over all paths.
2. POST /api/kernels -> first kernel_info_reply over the kernel's websocket (connected right after the POST
   returned; the request is resent every RESEND_S until answered), then DELETE (not timed in the total); requests
   paced one per second (what a user sees when kernels are asked for one per ~second), plus a back-to-back burst;
   with [kernels] prespawn = 0 and = 2 (two services, one after the other, each with its own two Jupyter Servers),
   directly and through Jupyter Server (with prespawn, also with a notebook path, which makes Jupyter Server send
   KERNEL_WORKING_DIR = its root directory, as JupyterLab's sessions do).
Services run with rate_limit_per_minute = 0 so the limiter never refuses a benchmark request.
Loopback only; every loop is bounded in count and time. Only processes started here are stopped, by their Popen
handle (SIGTERM, then SIGKILL); their PIDs and start times go to <out>/pids for run.sh's trap.
"""
import argparse, http.client, json, os, secrets, signal, socket, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import wsproto  # noqa: E402

PY = "/usr/bin/python3"
CODE = "return 1"
PROCS = []
RESEND_S = 0.2
# Diagnostic only (the "-patched" paths, a second Jupyter Server that loads this as its config file): two local
# changes to Jupyter Server 1.23's gateway websocket handler, to show what the relay hop itself costs.
# 1. TCP_NODELAY: tornado turns it off again once the HTTP upgrade response is written, and the handler never turns
#    it on, so every small message after the first waits for the client's delayed ACK (~40 ms on Linux).
# 2. A client message that arrives before the handler's `_connect` callback has run is attached to the placeholder
#    future made in __init__, which never completes: the message is lost. Such a message is put back on the loop.
PATCH = """from jupyter_server.gateway import handlers as _h
from tornado.ioloop import IOLoop as _IOLoop
_open = _h.WebSocketChannelsHandler.open
def _open_nodelay(self, *args, **kwargs):
    self.set_nodelay(True)
    return _open(self, *args, **kwargs)
_h.WebSocketChannelsHandler.open = _open_nodelay
_init = _h.GatewayWebSocketClient.__init__
def _init_keep(self, **kwargs):
    _init(self, **kwargs)
    self._placeholder = self.ws_future
_h.GatewayWebSocketClient.__init__ = _init_keep
_on_message = _h.GatewayWebSocketClient.on_message
def _on_message_after_connect(self, message):
    if self.ws is None and self.ws_future is self._placeholder:
        _IOLoop.current().add_callback(self.on_message, message)
        return
    return _on_message(self, message)
_h.GatewayWebSocketClient.on_message = _on_message_after_connect
"""
PIDS_FILE = None


def pct(values, q):
    """Nearest-rank percentile, q in [0, 1] (same rule as bench/kernel_bench.py)."""
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(-(-q * len(s) // 1)) - 1))]


def summary(xs_s):
    ms = [x * 1000 for x in xs_s]
    return {"n": len(ms), "p50_ms": pct(ms, 0.5), "p90_ms": pct(ms, 0.9), "p99_ms": pct(ms, 0.99),
            "min_ms": min(ms) if ms else None, "max_ms": max(ms) if ms else None,
            "mean_ms": sum(ms) / len(ms) if ms else None}


def free_port(count=1):
    """A block of `count` free loopback ports below the ephemeral range."""
    import random
    for _ in range(200):
        base = random.randint(20000, 32000)
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


def start_time_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[19]


def spawn(argv, log_path, env, stdout=None):
    log = open(log_path, "w")
    proc = subprocess.Popen(argv, stdout=stdout or log, stderr=log if stdout else subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    PROCS.append(proc)
    with open(PIDS_FILE, "a") as f:
        f.write(f"{proc.pid} {start_time_ticks(proc.pid)}\n")
    return proc


def stop(proc, timeout=15):
    """SIGTERM, then SIGKILL; only ever a process this script started (its Popen handle)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


class Http:
    """One keep-alive connection with the token; JSON in and out."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, auth=True):
        headers = {"Authorization": f"token {self.token}"} if auth else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            try:
                self.c.request(method, path, body=data, headers=headers)
                r = self.c.getresponse()
                raw = r.read()
                return r.status, (json.loads(raw) if raw and r.getheader("Content-Type", "").startswith("application/") and raw[:1] in b"[{" else raw)
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.c.close()
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise

    def close(self):
        self.c.close()


def wait_http(port, path, proc, timeout, token=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {path} answered")
        try:
            h = Http(port, token)
            st, _ = h.call("GET", path, auth=token is not None)
            h.close()
            if st == 200:
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{path} on port {port} not 200 within {timeout} s")


class Service:
    """`llmspell kernel start` with its own config file (hmac_key = the REST token), runtime dir and ports."""

    def __init__(self, llmspell, root, name, prespawn):
        self.dir = os.path.join(root, name)
        os.makedirs(os.path.join(self.dir, "work"))
        os.makedirs(os.path.join(self.dir, "run"))
        self.token = secrets.token_urlsafe(32)
        self.port = free_port(6)
        self.prespawn = prespawn
        cfg = os.path.join(self.dir, "kernel.toml")
        with open(cfg, "w") as f:
            f.write(f'[daemon]\nworking_dir = "{self.dir}/work"\npid_file = "{self.dir}/kernel.pid"\n'
                    f'[logging]\nlog_level = "warn"\n'
                    f'[security]\nhmac_key = "{self.token}"\nrate_limit_per_minute = 0\n'
                    f'[kernels]\nprespawn = {prespawn}\n')
        os.chmod(cfg, 0o600)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LLMSPELL_", "KERNEL_"))}
        env["LLMSPELL_RUNTIME_DIR"] = os.path.join(self.dir, "run")
        self.t0 = time.perf_counter()
        self.proc = spawn([llmspell, "kernel", "start", "--config", cfg, "--port", str(self.port),
                           "--connection-file", os.path.join(self.dir, "kernel.json")],
                          os.path.join(self.dir, "service.log"), env)
        wait_http(self.port, "/health", self.proc, 60)
        self.healthy_s = time.perf_counter() - self.t0
        self.http = Http(self.port, self.token)
        if prespawn:
            self.wait_pool(30)

    def metric(self, name):
        st, body = self.http.call("GET", "/metrics")
        text = body.decode() if isinstance(body, bytes) else str(body)
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    def metrics_text(self):
        st, body = self.http.call("GET", "/metrics")
        return body.decode() if isinstance(body, bytes) else str(body)

    def wait_pool(self, timeout):
        """Until the prespawn pool holds all its warm kernels; returns the seconds waited."""
        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (self.metric("llmspell_kernels_prespawned") or 0) >= self.prespawn:
                return time.perf_counter() - t0
            time.sleep(0.02)
        raise TimeoutError(f"prespawn pool not full within {timeout} s")

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


class JupyterServer:
    """Jupyter Server in gateway mode in front of a Service; temp config/data/runtime/home dirs, clean env."""

    def __init__(self, svc, root, name, config_py=None):
        self.dir = os.path.join(root, name)
        for d in ("config", "data", "runtime", "home", "notebooks"):
            os.makedirs(os.path.join(self.dir, d))
        if config_py:
            with open(os.path.join(self.dir, "config", "jupyter_server_config.py"), "w") as f:
                f.write(config_py)
        self.token = secrets.token_hex(24)
        self.port = free_port(1)
        env = {"PATH": "/usr/bin:/bin", "LANG": os.environ.get("LANG", "C.UTF-8"), "HOME": os.path.join(self.dir, "home"),
               "JUPYTER_CONFIG_DIR": os.path.join(self.dir, "config"), "JUPYTER_DATA_DIR": os.path.join(self.dir, "data"),
               "JUPYTER_RUNTIME_DIR": os.path.join(self.dir, "runtime"), "JUPYTER_PLATFORM_DIRS": "1"}
        self.root_dir = os.path.join(self.dir, "notebooks")
        t0 = time.perf_counter()
        self.proc = spawn([PY, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                           "--ServerApp.port_retries=0", f"--ServerApp.token={self.token}", "--no-browser",
                           f"--ServerApp.root_dir={self.root_dir}", f"--gateway-url=http://127.0.0.1:{svc.port}",
                           f"--GatewayClient.auth_token={svc.token}"] + (["--allow-root"] if os.geteuid() == 0 else []),
                          os.path.join(self.dir, "jupyter_server.log"), env)
        wait_http(self.port, "/api/status", self.proc, 90, token=self.token)
        self.ready_s = time.perf_counter() - t0
        self.http = Http(self.port, self.token)


# ---------------------------------------------------------------------------------------------------------------
# 1. execute round trip
# ---------------------------------------------------------------------------------------------------------------

class BkcPath:
    name = "zmq-bkc"

    def __init__(self, cf):
        from jupyter_client.blocking.client import BlockingKernelClient
        self.kc = BlockingKernelClient(connection_file=cf)
        self.kc.load_connection_file()
        self.kc.start_channels(stdin=False, hb=False, control=False)
        self.kc.wait_for_ready(timeout=30)
        # PUB/SUB slow joiner: until iopub delivers a status for a request of ours
        deadline = time.monotonic() + 30
        while True:
            mid = self.kc.kernel_info()
            if self._iopub_sees(mid, 0.5) or time.monotonic() > deadline:
                break
        self._drain()

    def _iopub_sees(self, mid, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                m = self.kc.get_iopub_msg(timeout=0.05)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") == mid:
                return True
        return False

    def _drain(self):
        for get in (self.kc.get_shell_msg, self.kc.get_iopub_msg):
            while True:
                try:
                    get(timeout=0.05)
                except Exception:
                    break

    def execute(self, code):
        mid = self.kc.execute(code)
        status, idle = None, False
        while status is None:
            m = self.kc.get_shell_msg(timeout=10)
            if m["parent_header"].get("msg_id") == mid and m["header"]["msg_type"] == "execute_reply":
                status = m["content"].get("status")
        while not idle:
            m = self.kc.get_iopub_msg(timeout=10)
            if (m["parent_header"].get("msg_id") == mid and m["header"]["msg_type"] == "status"
                    and m["content"].get("execution_state") == "idle"):
                idle = True
        return status

    def close(self):
        self.kc.stop_channels()


class SessionPath:
    name = "zmq-session"

    def __init__(self, cf):
        import zmq
        from jupyter_client.session import Session
        self.zmq = zmq
        with open(cf) as f:
            cfg = json.load(f)
        self.sess = Session(key=cfg["key"].encode(), signature_scheme=cfg.get("signature_scheme", "hmac-sha256"))
        ctx = zmq.Context.instance()
        self.sh, self.io = ctx.socket(zmq.DEALER), ctx.socket(zmq.SUB)
        for s in (self.sh, self.io):
            s.setsockopt(zmq.LINGER, 0)
        self.io.setsockopt(zmq.SUBSCRIBE, b"")
        self.sh.connect(f"tcp://127.0.0.1:{cfg['shell_port']}")
        self.io.connect(f"tcp://127.0.0.1:{cfg['iopub_port']}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # slow joiner: until iopub delivers the status of our kernel_info
            msg = self.sess.send(self.sh, "kernel_info_request", {})
            mid = msg["header"]["msg_id"]
            end = time.monotonic() + 0.5
            seen = False
            while time.monotonic() < end and not seen:
                m = self._recv(self.io, 0.05)
                seen = m is not None and m["parent_header"].get("msg_id") == mid
                self._recv(self.sh, 0)
            if seen:
                break
        time.sleep(0.1)
        while self._recv(self.io, 0.02) or self._recv(self.sh, 0):
            pass

    def _recv(self, s, timeout):
        if not s.poll(int(timeout * 1000)):
            return None
        _, m = self.sess.recv(s, mode=self.zmq.NOBLOCK)
        return m

    def execute(self, code):
        msg = self.sess.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        self.sess.send(self.sh, msg)
        mid = msg["header"]["msg_id"]
        status, idle = None, False
        while status is None or not idle:
            if status is None:
                m = self._recv(self.sh, 10)
                if m is None:
                    raise TimeoutError("no execute_reply within 10 s")
                if m["parent_header"].get("msg_id") == mid and m["header"]["msg_type"] == "execute_reply":
                    status = m["content"].get("status")
            else:
                m = self._recv(self.io, 10)
                if m is None:
                    raise TimeoutError("no idle status within 10 s")
                if (m["parent_header"].get("msg_id") == mid and m["header"]["msg_type"] == "status"
                        and m["content"].get("execution_state") == "idle"):
                    idle = True
        return status

    def close(self):
        self.sh.close(0)
        self.io.close(0)


class WsPath:
    def __init__(self, name, base_ws, kid, token, protocol=None):
        self.name = name
        self.ch = wsproto.Channels(base_ws, kid, token, protocol=protocol)
        self.ch.kernel_info(resend_s=0.2)

    def execute(self, code):
        return self.ch.execute(code)

    def close(self):
        self.ch.close()


def csharp_latency(cs, cf, n, warmup, log_path):
    """bench/LlmSpell.Bench (NetMQ DEALER + SUB, its own signer): the kernel's speed over ZeroMQ with a lean client."""
    proc = spawn([cs, "latency", "--conn", cf, "--n", str(n), "--warmup", str(warmup), "--code", CODE, "--timeout", "60"],
                 log_path, dict(os.environ), stdout=subprocess.PIPE)
    try:
        out, _ = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        stop(proc)
        return {"failed": "timeout"}
    if proc.returncode != 0:
        return {"failed": proc.returncode}
    r = json.loads(out)
    return {"n": r.get("completed"), "p50_ms": r["p50_us"] / 1000, "p90_ms": r["p90_us"] / 1000,
            "p99_ms": r["p99_us"] / 1000, "max_ms": r["max_us"] / 1000, "mean_ms": r["mean_us"] / 1000, "raw": r}


def execute_bench(svc, js, jsn, n, warmup, rounds, time_limit, csharp=None):
    st, k = js.http.call("POST", "/api/kernels", {"name": "llmspell"})
    if st != 201:
        raise RuntimeError(f"Jupyter Server POST /api/kernels: {st} {k}")
    kid = k["id"]
    st, model = svc.http.call("GET", f"/api/kernels/{kid}")
    cf = model["connection_file"]
    makers = {
        "zmq-bkc": lambda: BkcPath(cf),
        "zmq-session": lambda: SessionPath(cf),
        "ws-legacy": lambda: WsPath("ws-legacy", f"ws://127.0.0.1:{svc.port}", kid, svc.token),
        "ws-v1": lambda: WsPath("ws-v1", f"ws://127.0.0.1:{svc.port}", kid, svc.token, protocol=wsproto.V1),
        "jupyter-server": lambda: WsPath("jupyter-server", f"ws://127.0.0.1:{js.port}", kid, js.token),
        "jupyter-server-patched": lambda: WsPath("jupyter-server-patched", f"ws://127.0.0.1:{jsn.port}", kid, jsn.token),
    }
    lat = {p: [] for p in makers}
    errors = {p: 0 for p in makers}
    failures = {p: [] for p in makers}
    open_s = {p: [] for p in makers}
    per_round = -(-n // rounds)
    deadline = time.monotonic() + time_limit
    t_start = time.perf_counter()
    for r in range(rounds):
        for p, make in makers.items():
            if time.monotonic() > deadline:
                failures[p].append(f"time limit reached in round {r}")
                continue
            t0 = time.perf_counter()
            try:
                c = make()
            except Exception as e:
                failures[p].append(f"round {r}: connect: {e!r}")
                continue
            open_s[p].append(time.perf_counter() - t0)
            try:
                for i in range((warmup if r == 0 else 0) + 20):  # warm-up: all of it in round 0, then 20 per round
                    c.execute(CODE)
                for i in range(per_round):
                    if len(lat[p]) >= n:
                        break
                    t0 = time.perf_counter()
                    status = c.execute(CODE)
                    lat[p].append(time.perf_counter() - t0)
                    errors[p] += status != "ok"
            except Exception as e:
                failures[p].append(f"round {r}: {e!r}")
            finally:
                c.close()
            time.sleep(0.2)  # let the closed connection go away before the next path
    elapsed = time.perf_counter() - t_start
    cs = csharp_latency(csharp, cf, n, warmup, os.path.join(svc.dir, "csharp.log")) if csharp else None
    js.http.call("DELETE", f"/api/kernels/{kid}")
    out = {"kernel_id": kid, "code": CODE, "n": n, "warmup": warmup, "rounds": rounds, "elapsed_s": elapsed, "paths": {},
           "csharp_netmq": cs}
    for p in makers:
        out["paths"][p] = dict(summary(lat[p]), errors=errors[p], failures=failures[p],
                               open_ms_median=pct([x * 1000 for x in open_s[p]], 0.5), raw_ms=[round(x * 1000, 4) for x in lat[p]])
    return out


# ---------------------------------------------------------------------------------------------------------------
# 2. POST /api/kernels -> first kernel_info_reply
# ---------------------------------------------------------------------------------------------------------------

def kernel_start_once(http, base_ws, token, body, keep=None):
    """POST, websocket connect, kernel_info_request, kernel_info_reply; then DELETE (not timed in `total`), or, with
    `keep` (a list), leave the kernel running with its websocket open and append (kernel id, channels, record) to it."""
    t0 = time.perf_counter()
    st, k = http.call("POST", "/api/kernels", body)
    t_post = time.perf_counter()
    if st != 201:
        return {"error": f"POST {st}: {str(k)[:200]}", "post_ms": (t_post - t0) * 1000}
    kid = k["id"]
    rec = {"kernel_id": kid, "post_ms": (t_post - t0) * 1000}
    ch = None
    try:
        ch = wsproto.Channels(base_ws, kid, token)
        t_open = time.perf_counter()
        _, sends = ch.kernel_info(timeout=30, resend_s=RESEND_S)
        t_reply = time.perf_counter()
        rec.update(kernel_info_requests=sends, ws_open_ms=(t_open - t_post) * 1000, kernel_info_ms=(t_reply - t_open) * 1000,
                   total_ms=(t_reply - t0) * 1000)
    except Exception as e:
        rec["error"] = f"websocket: {e!r}"[:300]
    if keep is not None:
        keep.append((kid, ch, rec))
    else:
        rec.update(delete(http, kid, ch))
    return rec


def delete(http, kid, ch):
    if ch:
        ch.close()
    t_del = time.perf_counter()
    st, _ = http.call("DELETE", f"/api/kernels/{kid}")
    return {"delete_ms": (time.perf_counter() - t_del) * 1000, "delete_status": st}


def start_series(label, http, base_ws, token, body, count, pace_s, time_limit):
    """pace_s > 0: one kernel every pace_s seconds, each deleted before the next. pace_s = 0: a burst, `count`
    kernels back to back, all kept (websocket open) until the last has answered, then deleted."""
    recs, kept = [], []
    deadline = time.monotonic() + time_limit
    t_base = time.perf_counter()
    for i in range(count):
        if time.monotonic() > deadline:
            break
        if pace_s:
            wait = t_base + i * pace_s - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        rec = kernel_start_once(http, base_ws, token, body, keep=None if pace_s else kept)
        rec["t_s"] = time.perf_counter() - t_base
        recs.append(rec)
    for kid, ch, rec in kept:
        rec.update(delete(http, kid, ch))
    ok = [r for r in recs if "total_ms" in r]
    return {"label": label, "body": body, "pace_s": pace_s, "count": count, "completed": len(ok),
            "errors": [r["error"] for r in recs if "error" in r],
            "delete_status": sorted({r.get("delete_status") for r in recs if "delete_status" in r}),
            "kernel_info_resent": sum(r.get("kernel_info_requests", 1) > 1 for r in recs),
            "total": summary([r["total_ms"] / 1000 for r in ok]),
            "post": summary([r["post_ms"] / 1000 for r in ok]),
            "ws_open": summary([r["ws_open_ms"] / 1000 for r in ok]),
            "kernel_info": summary([r["kernel_info_ms"] / 1000 for r in ok]),
            "delete": summary([r["delete_ms"] / 1000 for r in recs if "delete_ms" in r]),
            "records": recs}


def kernel_start_bench(svc, js, jsn, count, burst, pace_s, time_limit):
    direct = (svc.http, f"ws://127.0.0.1:{svc.port}", svc.token)
    plain = (js.http, f"ws://127.0.0.1:{js.port}", js.token)
    patched = (jsn.http, f"ws://127.0.0.1:{jsn.port}", jsn.token)
    plan = [("direct", direct, {"name": "llmspell"}, count, pace_s),
            ("jupyter-server", plain, {"name": "llmspell"}, count, pace_s),
            ("jupyter-server-patched", patched, {"name": "llmspell"}, count, pace_s)]
    if svc.prespawn:  # a notebook path makes Jupyter Server send KERNEL_WORKING_DIR (its root_dir): no warm kernel fits
        plan.append(("jupyter-server-path", plain, {"name": "llmspell", "path": ""}, count, pace_s))
    plan.append(("direct-burst", direct, {"name": "llmspell"}, burst, 0))
    series = []
    for label, (http, base_ws, token), body, n, pace in plan:
        if svc.prespawn:
            svc.wait_pool(30)
        series.append(start_series(label, http, base_ws, token, body, n, pace, time_limit))
    refill = svc.wait_pool(30) if svc.prespawn else None
    return {"prespawn": svc.prespawn, "series": series, "refill_after_burst_s": refill}


def main():
    global PIDS_FILE
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmspell", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--csharp", help="bench/LlmSpell.Bench binary: adds the C# NetMQ client as a reference row")
    a = ap.parse_args()
    n, warmup, kernels, burst = (300, 50, 10, 6) if a.quick else (2000, 200, 30, 10)
    rounds, pace = 4, 1.0
    PIDS_FILE = os.path.join(a.out, "pids")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops the children on timeout/kill
    result = {"quick": a.quick, "llmspell": a.llmspell, "config": {"n": n, "warmup": warmup, "rounds": rounds,
              "kernels": kernels, "burst": burst, "pace_s": pace}}
    root = os.path.join(a.out, "procs")  # config files, logs and working dirs of every process started here
    os.makedirs(root)
    try:
        for prespawn in (0, 2):
            name = f"prespawn{prespawn}"
            print(f"[gateway] service with prespawn = {prespawn}", file=sys.stderr, flush=True)
            svc = Service(a.llmspell, root, name, prespawn)
            js = JupyterServer(svc, root, f"js-{name}")
            jsn = JupyterServer(svc, root, f"js-patched-{name}", PATCH)
            part = {"service_healthy_s": svc.healthy_s, "jupyter_server_ready_s": js.ready_s, "rss_start_kb": svc.rss_kb()}
            if prespawn == 0:
                print(f"[gateway] execute round trip, {n} per path", file=sys.stderr, flush=True)
                part["execute"] = execute_bench(svc, js, jsn, n, warmup, rounds, 240 if not a.quick else 90, a.csharp)
            print(f"[gateway] POST /api/kernels -> kernel_info_reply, {kernels} per series", file=sys.stderr, flush=True)
            part["start"] = kernel_start_bench(svc, js, jsn, kernels, burst, pace, 60 if not a.quick else 25)
            part["rss_end_kb"] = svc.rss_kb()
            part["metrics"] = [l for l in svc.metrics_text().splitlines()
                               if l.startswith(("llmspell_kernel_start_seconds", "llmspell_kernels", "llmspell_websocket"))]
            part["jupyter_server_exit"] = [stop(js.proc), stop(jsn.proc)]
            part["service_exit"] = stop(svc.proc)
            result[name] = part
    finally:
        for p in reversed(PROCS):
            stop(p)
    with open(os.path.join(a.out, "gateway.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
