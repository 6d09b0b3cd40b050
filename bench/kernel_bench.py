#!/usr/bin/python3
"""Issue 3 benchmark: llmspell's Jupyter kernel vs ipykernel, side by side, same harness.

Every kernel is launched the way Jupyter launches it: a connection file written by jupyter_client
(random free loopback ports, random HMAC key) and the kernel's argv with {connection_file}.

Measured per kernel:
  startup   launch -> first kernel_info_reply (raw DEALER, RECONNECT_IVL 2 ms, signed with jupyter_client.session.Session), median of K
  idle RSS  VmRSS 2 s after the first kernel_info_reply
  python    BlockingKernelClient (jupyter_client) latency (window 1) and pipelined throughput
  session   raw pyzmq sockets + jupyter_client.session.Session (no asyncio wrapper): same two loops, less client overhead
  csharp    bench/LlmSpell.Bench (NetMQ): same two loops
  growth    (llmspell only, hosted by `llmspell kernel start`) RSS over many executions, C# client
An execution is complete when both execute_reply (shell) and status idle for that parent (iopub) arrived.
Only processes started here are stopped, by the PID recorded at launch. Loopback only; every loop is bounded.
"""
import argparse, json, os, signal, socket, statistics, subprocess, sys, tempfile, time, uuid

import zmq
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_client.session import Session
from control_plane import free_port_block  # same directory (bench/)

CODE = "x = 1"


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def cpu_s(pid):
    """utime+stime of a process in seconds (load-independent start-up cost)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def pct(values, q):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(-(-q * len(s) // 1)) - 1))]


class Kernel:
    """A kernel process launched from a fresh connection file; stopped only by its recorded PID."""

    def __init__(self, name, argv, workdir, log):
        self.name, self.argv_tmpl, self.workdir, self.log = name, argv, workdir, log
        self.proc = None

    def launch(self):
        cf = os.path.join(self.workdir, f"kernel-{self.name}-{uuid.uuid4().hex[:8]}.json")
        self.cf, self.cfg = write_connection_file(fname=cf, ip="127.0.0.1", key=uuid.uuid4().hex.encode())
        argv = [a.replace("{connection_file}", self.cf) for a in self.argv_tmpl]
        env = dict(os.environ, IPYTHONDIR=os.path.join(self.workdir, "ipython"))
        self.t_launch = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=self.log, env=env, start_new_session=True)
        return self

    def first_kernel_info(self, timeout=30.0):
        """Seconds from launch until the first kernel_info_reply."""
        ctx = zmq.Context.instance()
        sess = Session(key=self.cfg["key"].encode() if isinstance(self.cfg["key"], str) else self.cfg["key"], signature_scheme="hmac-sha256")
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RECONNECT_IVL, 2)
        s.connect(f"tcp://127.0.0.1:{self.cfg['shell_port']}")
        try:
            sess.send(s, "kernel_info_request", {})
            deadline = time.perf_counter() + timeout
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before replying")
                if s.poll(5):
                    _, msg = sess.recv(s, mode=zmq.NOBLOCK)
                    if msg and msg["header"]["msg_type"] == "kernel_info_reply":
                        t = time.perf_counter() - self.t_launch
                        self.cpu_at_ready = cpu_s(self.proc.pid)
                        return t
            raise TimeoutError(f"{self.name}: no kernel_info_reply within {timeout}s")
        finally:
            s.close(0)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


class BkcClient:
    """jupyter_client BlockingKernelClient; reads via kc.get_shell_msg / kc.get_iopub_msg."""
    label = "python-bkc"

    def __init__(self, cf):
        self.kc = BlockingKernelClient(connection_file=cf)
        self.kc.load_connection_file()
        self.kc.start_channels(stdin=False, hb=False, control=False)
        self.kc.wait_for_ready(timeout=30)

    def execute(self, code):
        return self.kc.execute(code)

    def shell(self, timeout):
        try:
            return self.kc.get_shell_msg(timeout=timeout)
        except Exception:  # queue.Empty
            return None

    def iopub(self, timeout):
        try:
            return self.kc.get_iopub_msg(timeout=timeout)
        except Exception:
            return None

    def close(self):
        self.kc.stop_channels()


class SessionClient:
    """Raw pyzmq DEALER + SUB with jupyter_client.session.Session signing/verifying (synchronous)."""
    label = "python-session"

    def __init__(self, cf):
        with open(cf) as f:
            cfg = json.load(f)
        self.sess = Session(key=cfg["key"].encode(), signature_scheme="hmac-sha256")
        ctx = zmq.Context.instance()
        self.sh = ctx.socket(zmq.DEALER)
        self.io = ctx.socket(zmq.SUB)
        for s in (self.sh, self.io):
            s.setsockopt(zmq.LINGER, 0)
            s.setsockopt(zmq.RCVHWM, 0)
            s.setsockopt(zmq.SNDHWM, 0)
        self.io.setsockopt(zmq.SUBSCRIBE, b"")
        self.sh.connect(f"tcp://127.0.0.1:{cfg['shell_port']}")
        self.io.connect(f"tcp://127.0.0.1:{cfg['iopub_port']}")
        deadline = time.monotonic() + 30
        got_shell = got_io = False
        while not (got_shell and got_io):  # PUB/SUB slow joiner: until iopub delivers
            if time.monotonic() > deadline:
                raise TimeoutError("session client handshake")
            self.sess.send(self.sh, "kernel_info_request", {})
            end = time.monotonic() + 0.2
            while time.monotonic() < end and not (got_shell and got_io):
                if self.shell(0.005):
                    got_shell = True
                if self.iopub(0):
                    got_io = True
        time.sleep(0.2)
        while self.iopub(0.05) or self.shell(0):
            pass

    def execute(self, code):
        msg = self.sess.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        self.sess.send(self.sh, msg)
        return msg["header"]["msg_id"]

    def _recv(self, s, timeout):
        if not s.poll(int(timeout * 1000)):
            return None
        _, msg = self.sess.recv(s, mode=zmq.NOBLOCK)
        return msg

    def shell(self, timeout):
        return self._recv(self.sh, timeout)

    def iopub(self, timeout):
        return self._recv(self.io, timeout)

    def close(self):
        self.sh.close(0)
        self.io.close(0)


def is_idle(m):
    return m["header"]["msg_type"] == "status" and m["content"].get("execution_state") == "idle"


def latency_loop(c, n, warmup, time_limit):
    """Window 1: send, wait for execute_reply and idle of that parent; returns per-execution seconds."""
    lat = []
    errors = 0
    t_end = time.monotonic() + time_limit
    for i in range(warmup + n):
        if time.monotonic() > t_end:
            break
        t0 = time.perf_counter()
        mid = c.execute(CODE)
        reply = idle = False
        while not (reply and idle):
            if not reply:
                m = c.shell(10)
                if m is None:
                    raise TimeoutError("no execute_reply within 10 s")
                if m["parent_header"].get("msg_id") == mid and m["header"]["msg_type"] == "execute_reply":
                    reply = True
                    errors += m["content"].get("status") != "ok"
            else:
                m = c.iopub(10)
                if m is None:
                    raise TimeoutError("no idle status within 10 s")
                if m["parent_header"].get("msg_id") == mid and is_idle(m):
                    idle = True
        if i >= warmup:
            lat.append(time.perf_counter() - t0)
    return lat, errors


def pipelined(c, n, time_limit):
    """Send n execute_requests without waiting for replies (draining what already arrived, non-blocking,
    every 50 sends so no buffer fills), then collect every execute_reply and idle status."""
    pending_reply, pending_idle = set(), set()
    t0 = time.perf_counter()
    deadline = time.monotonic() + time_limit

    def drain(block):
        got = False
        m = c.shell(0)
        while m is not None:
            got = True
            pending_reply.discard(m["parent_header"].get("msg_id"))
            m = c.shell(0)
        m = c.iopub(0)
        while m is not None:
            got = True
            if is_idle(m):
                pending_idle.discard(m["parent_header"].get("msg_id"))
            m = c.iopub(0)
        if not got and block:
            if pending_reply:
                m = c.shell(0.005)
                if m is not None:
                    pending_reply.discard(m["parent_header"].get("msg_id"))
            elif pending_idle:
                m = c.iopub(0.005)
                if m is not None and is_idle(m):
                    pending_idle.discard(m["parent_header"].get("msg_id"))

    for i in range(n):
        mid = c.execute(CODE)
        pending_reply.add(mid)
        pending_idle.add(mid)
        if i % 50 == 49:
            drain(False)
    while (pending_reply or pending_idle) and time.monotonic() < deadline:
        drain(True)
    elapsed = time.perf_counter() - t0
    lost = len(pending_reply | pending_idle)
    return {"elapsed_s": elapsed, "throughput_per_s": (n - lost) / elapsed, "incomplete": lost}


def py_bench(client_cls, kern, n_lat, warmup, n_pipe, time_limit):
    c = client_cls(kern.cf)
    try:
        lat, errors = latency_loop(c, n_lat, warmup, time_limit)
        pipe = pipelined(c, n_pipe, time_limit)
    finally:
        c.close()
    us = [x * 1e6 for x in lat]
    return {"client": client_cls.label, "n": len(us), "warmup": warmup, "errors": errors,
            "p50_us": pct(us, .5), "p90_us": pct(us, .9), "p99_us": pct(us, .99), "max_us": max(us) if us else None,
            "mean_us": statistics.fmean(us) if us else None,
            "pipelined": dict(pipe, n=n_pipe)}


def cs_bench(cs, kern, n_lat, warmup, n_pipe, time_limit):
    out = {}
    for mode, n in (("latency", n_lat), ("pipelined", n_pipe)):
        r = subprocess.run([cs, mode, "--conn", kern.cf, "--n", str(n), "--warmup", str(warmup),
                            "--timeout", str(int(time_limit))], capture_output=True, text=True, timeout=time_limit + 60)
        if r.returncode != 0:
            out[mode] = {"failed": r.returncode, "stderr": r.stderr[-2000:], "stdout": r.stdout[-2000:]}
        else:
            out[mode] = json.loads(r.stdout)
    return out




def growth(llmspell, cs, workdir, n, log):
    """RSS of the service-hosted default kernel over n executions (C# client, window 64)."""
    port = free_port_block()
    cf = os.path.join(workdir, "growth-kernel.json")
    proc = subprocess.Popen([llmspell, "kernel", "start", "--port", str(port), "--connection-file", cf, "--log-level", "warn"],
                            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(cf) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(1.0)
        marks = sorted({n // 10, n // 4, n // 2, 3 * n // 4, n})
        r = subprocess.run([cs, "growth", "--conn", cf, "--n", str(n), "--window", "64", "--pid", str(proc.pid),
                            "--checkpoints", ",".join(map(str, marks)), "--timeout", "300"],
                           capture_output=True, text=True, timeout=400)
        if r.returncode != 0:
            return {"failed": r.returncode, "stderr": r.stderr[-2000:], "stdout": r.stdout[-2000:]}
        res = json.loads(r.stdout)
        res["host"] = "llmspell kernel start (service-hosted default kernel)"
        return res
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmspell", required=True)
    ap.add_argument("--csharp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()

    starts, n_lat, warmup, n_pipe, n_growth, limit = (3, 500, 50, 500, 10_000, 30) if a.quick else (5, 2000, 200, 2000, 100_000, 60)
    workdir = tempfile.mkdtemp(prefix="llmspell-bench-")
    log = open(os.path.join(os.path.dirname(a.out), "kernels.log"), "ab")
    kernels = {
        "llmspell": [a.llmspell, "kernel", "run", "--connection-file", "{connection_file}"],
        "ipykernel": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    }
    res = {"quick": a.quick, "code": CODE, "kernels": {k: {"argv": v} for k, v in kernels.items()}}

    def say(*x):
        print("[kernel]", *x, file=sys.stderr, flush=True)

    # Startup: alternate the two kernels, K launches each.
    for name in kernels:
        res["kernels"][name]["startup_s"] = []
        res["kernels"][name]["startup_cpu_s"] = []
    for i in range(starts):
        for name, argv in kernels.items():
            k = Kernel(name, argv, workdir, log).launch()
            try:
                res["kernels"][name]["startup_s"].append(k.first_kernel_info())
                res["kernels"][name]["startup_cpu_s"].append(k.cpu_at_ready)
            finally:
                k.stop()
    for name in kernels:
        s = res["kernels"][name]["startup_s"]
        res["kernels"][name]["startup_median_s"] = statistics.median(s)
        res["kernels"][name]["startup_cpu_median_s"] = statistics.median(res["kernels"][name]["startup_cpu_s"])
        say(name, "launch->kernel_info_reply median", round(statistics.median(s) * 1000, 1), "ms")

    # One long-lived instance of each, both alive for the whole comparison.
    live = {name: Kernel(name, argv, workdir, log).launch() for name, argv in kernels.items()}
    try:
        for name, k in live.items():
            k.first_kernel_info()
        time.sleep(2)
        for name, k in live.items():
            res["kernels"][name]["idle_rss_kb"] = rss_kb(k.proc.pid)
        for client_cls in (BkcClient, SessionClient):
            for name, k in live.items():
                say(name, client_cls.label)
                res["kernels"][name][client_cls.label] = py_bench(client_cls, k, n_lat, warmup, n_pipe, limit)
        for name, k in live.items():
            say(name, "csharp")
            res["kernels"][name]["csharp-netmq"] = cs_bench(a.csharp, k, n_lat, warmup, n_pipe, limit)
        for name, k in live.items():
            res["kernels"][name]["rss_after_kb"] = rss_kb(k.proc.pid)
    finally:
        for k in live.values():
            k.stop()

    say("growth", n_growth)
    res["growth"] = growth(a.llmspell, a.csharp, workdir, n_growth, log)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
