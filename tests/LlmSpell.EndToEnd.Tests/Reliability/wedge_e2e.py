"""A cell stuck in native code with Lua's hooks off, against the real service: degraded health, then a restart
that abandons the stuck state and leaves a working kernel.

Usage: wedge_e2e.py <connection-file> <base-url> <token>
Prints one JSON object on the last stdout line; exits 3 when jupyter_client is missing, 1 on a failed check.
"""
import json
import sys
import time

import jupyter_driver
from jupyter_driver import check, connect, execute

jupyter_driver.TIMEOUT = TIMEOUT = 30
# A finalizer runs with hooks off: neither an interrupt nor a limit can stop it (allow_unsafe_lua permits __gc).
WEDGE = "setmetatable({}, {__gc = function() while true do end end}) collectgarbage()"


http = jupyter_driver.http


def wait_for(what, condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise jupyter_driver.Failure("timed out after %ss waiting for %s" % (seconds, what))


def main(cf, base, token):
    kc = connect(cf)
    kernel_id = json.loads(http(base, token, "GET", "/api/kernels")[1])[0]["id"]
    check(execute(kc, "x = 41")["reply"]["status"] == "ok", "warm-up cell ran")
    stuck = kc.execute(WEDGE)
    wait_for("the stuck cell to start",
             lambda: any(m["msg_type"] == "status" and m["parent_header"].get("msg_id") == stuck
                         and m["content"]["execution_state"] == "busy" for m in drain(kc)), 10)
    status, _ = http(base, token, "POST", "/api/kernels/%s/interrupt" % kernel_id)
    check(status == 204, "interrupt answered 204, got %s" % status)

    def degraded():
        code, body = http(base, "", "GET", "/health")
        doc = json.loads(body)
        return doc if doc["status"] == "degraded" else None
    health = wait_for("/health to report degraded", degraded, 15)
    entry = [k for k in health["kernels"] if k["id"] == kernel_id][0]
    check(entry["execution_state"] == "busy" and entry["interrupt_pending_seconds"] >= 5, "kernel entry %r" % entry)
    ready_code, ready_body = http(base, "", "GET", "/health/ready")
    check(ready_code == 503, "readiness 503 while wedged, got %s %s" % (ready_code, ready_body))

    started = time.monotonic()
    status, body = http(base, token, "POST", "/api/kernels/%s/restart" % kernel_id)
    restart_seconds = time.monotonic() - started
    check(status == 200, "restart answered 200, got %s %s" % (status, body))
    check(restart_seconds < 10, "restart took %.1f s" % restart_seconds)

    after = execute(kc, "y = 20 + 22\ny")
    check(after["reply"]["status"] == "ok" and after["result"] == "42", "fresh kernel runs cells: %r" % after)
    gone = execute(kc, "x")
    check(gone["result"] in (None, "nil"), "the restart gave a fresh state (x gone): %r" % gone["result"])
    metrics = http(base, "", "GET", "/metrics")[1]
    abandoned = [l for l in metrics.splitlines() if l.startswith("llmspell_kernel_abandoned_states_total")]
    check(abandoned and float(abandoned[0].split()[-1]) >= 1, "abandoned state counted: %r" % abandoned)
    healthy = json.loads(http(base, "", "GET", "/health")[1])
    check(healthy["status"] == "healthy", "healthy again: %r" % healthy)

    # A finalizer that only runs when the restart closes the old state: the restart itself must not wedge.
    check(execute(kc, "setmetatable({}, {__gc = function() while true do end end})")["reply"]["status"] == "ok", "armed")
    started = time.monotonic()
    status, body = http(base, token, "POST", "/api/kernels/%s/restart" % kernel_id)
    close_seconds = time.monotonic() - started
    check(status == 200 and close_seconds < 10, "restart past a finalizer: %s in %.1f s %s" % (status, close_seconds, body))
    again = execute(kc, "1 + 1")
    check(again["result"] == "2", "kernel works after the second restart: %r" % again)
    kc.stop_channels()
    return {"restart_seconds": round(restart_seconds, 2), "close_seconds": round(close_seconds, 2), "after": after["result"]}


def drain(kc):
    out = []
    while True:
        try:
            out.append(kc.get_iopub_msg(timeout=0.1))
        except Exception:
            return out


if __name__ == "__main__":
    jupyter_driver.run_script(main, *sys.argv[1:4])
