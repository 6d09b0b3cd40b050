"""Drives the real llmspell binary with Debian's jupyter_client / nbclient / nbformat.

Usage: jupyter_e2e.py <command> [args...]
Prints one JSON object on the last stdout line and exits 0; on a failed check exits 1 with the reason on stderr.
A missing Python package exits 3 naming the Debian package to install.
"""
import json
import os
import sys
import time
import traceback

import jupyter_driver  # first: exits 3 naming the Debian packages when jupyter_client is missing
from jupyter_driver import (BlockingKernelClient, Failure, check, connect, control_request, execute,  # noqa: F401
                            reply_for, result, stream, until_idle)
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpecManager

TIMEOUT = jupyter_driver.TIMEOUT


def rest(base_url, token, method, path):
    status, body = jupyter_driver.http(base_url, token, method, path)
    return status, (json.loads(body) if body.strip().startswith(("{", "[")) else body)


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, seconds):
    deadline = time.monotonic() + seconds
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


# ---------------------------------------------------------------- commands

def c_specs():
    """The kernelspecs Jupyter finds on JUPYTER_PATH, and llmspell's spec as Jupyter parses it."""
    ksm = KernelSpecManager()
    specs = ksm.find_kernel_specs()
    check("llmspell" in specs, "KernelSpecManager does not find llmspell: %r (JUPYTER_PATH=%s)" % (specs, os.environ.get("JUPYTER_PATH")))
    spec = ksm.get_kernel_spec("llmspell")
    return {"specs": specs, "argv": spec.argv, "language": spec.language, "interrupt_mode": spec.interrupt_mode,
            "display_name": spec.display_name}


def c_notebook(workdir):
    """nbclient executes a Lua notebook through the installed kernelspec, then shuts the kernel down."""
    try:
        import nbformat
        from nbformat.v4 import new_code_cell, new_notebook
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError  # noqa: F401
    except ImportError as e:
        print("nbclient/nbformat is not importable (%s): apt-get install python3-nbclient python3-nbformat" % e, file=sys.stderr)
        sys.exit(3)

    nb = new_notebook(cells=[
        new_code_cell('print("hello from lua")'),
        new_code_cell("x = 20"),
        new_code_cell("x * 2 + 2"),
        new_code_cell("function greet(name) return \"hi \" .. name end\nreturn greet(\"jupyter\")"),
        new_code_cell("t = {1, 2, 3}\nreturn #t"),
        new_code_cell('{1, 2, 3, name = "lua"}'),
        new_code_cell("t[2] * 10"),
        new_code_cell('error("boom")'),
        new_code_cell("x + 1"),
    ], metadata={"kernelspec": {"name": "llmspell", "display_name": "Lua 5.4 (LLMSpell)", "language": "lua"}})

    state = {}
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="llmspell", allow_errors=True,
                            resources={"metadata": {"path": workdir}}, shutdown_kernel="graceful")

    def on_start(notebook=None, **kw):
        km = client.km
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        state["proc"] = proc
        state["pid"] = proc.pid if proc is not None else None
        state["connection_file"] = km.connection_file

    client.on_notebook_start = on_start
    t0 = time.monotonic()
    client.execute()
    state["elapsed"] = time.monotonic() - t0
    nbformat.validate(nb)

    pid = state.get("pid")
    check(pid is not None, "could not find the kernel process id from the KernelManager")
    gone = wait_gone(pid, 5)
    proc = state["proc"]
    returncode = proc.poll() if proc is not None else None
    cells = [{"execution_count": c.get("execution_count"), "outputs": [dict(o) for o in c.get("outputs", [])]} for c in nb.cells]
    return {"cells": cells, "language_info": nb.metadata.get("language_info"), "pid": pid, "exited": gone,
            "returncode": returncode, "connection_file": state["connection_file"],
            "connection_file_exists": os.path.exists(state["connection_file"])}


def c_service(cf, base_url, token, kernel_id):
    """BlockingKernelClient on the service's default kernel; REST interrupt of an infinite loop."""
    kc = connect(cf)
    out = {}
    out["print"] = execute(kc, 'print("out " .. 6 * 7)')
    out["result"] = execute(kc, "kept = 41\nreturn kept + 1")
    out["error"] = execute(kc, 'error("boom")')

    msg_id = kc.execute("while true do end")
    deadline = time.monotonic() + TIMEOUT
    while True:  # wait until the kernel has started the loop
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    time.sleep(0.1)  # let the loop actually spin before interrupting it
    t0 = time.monotonic()
    status, body = rest(base_url, token, "POST", "/api/kernels/%s/interrupt" % kernel_id)
    out["interrupt_http"] = {"status": status, "body": body}
    reply = reply_for(kc.get_shell_msg, msg_id, timeout=10)
    out["interrupt_elapsed"] = time.monotonic() - t0
    out["interrupt_reply"] = reply["content"]
    until_idle(kc, msg_id)
    out["after"] = execute(kc, "kept")
    kc.stop_channels()
    return out


def c_second_kernel(default_cf, base_url, token):
    """POST /api/kernels, use the new kernel independently, restart it, delete it."""
    out = {}
    status, model = rest(base_url, token, "POST", "/api/kernels")
    out["create"] = {"status": status, "model": model}
    check(status == 201, "POST /api/kernels answered %s: %s" % (status, model))
    cf = model["connection_file"]
    kid = model["id"]
    out["connection_file_exists"] = os.path.exists(cf)
    out["connection_file_mode"] = oct(os.stat(cf).st_mode & 0o777)

    second = connect(cf)
    default = connect(default_cf)
    out["set_second"] = execute(second, "only_here = 'second'\nreturn only_here")
    out["default_sees"] = execute(default, "only_here == nil")
    out["default_set"] = execute(default, "only_default = 1")
    out["second_sees"] = execute(second, "only_default == nil")

    status, body = rest(base_url, token, "POST", "/api/kernels/%s/restart" % kid)
    out["restart"] = {"status": status, "body": body}
    second.wait_for_ready(timeout=TIMEOUT)
    out["after_restart"] = execute(second, "only_here == nil")
    out["after_restart_works"] = execute(second, "1 + 2")
    out["default_after_restart"] = execute(default, "only_default")
    second.stop_channels()

    status, body = rest(base_url, token, "DELETE", "/api/kernels/%s" % kid)
    out["delete"] = {"status": status, "body": body}
    deadline = time.monotonic() + 5
    while os.path.exists(cf) and time.monotonic() < deadline:
        time.sleep(0.02)
    out["connection_file_exists_after_delete"] = os.path.exists(cf)
    status, _ = rest(base_url, token, "GET", "/api/kernels/%s" % kid)
    out["get_after_delete"] = status
    out["default_still_works"] = execute(default, "only_default + 1")
    default.stop_channels()
    return out


def c_write_connection_file(path):
    fname, cfg = write_connection_file(path, ip="127.0.0.1", key=os.urandom(16).hex().encode())
    return {"connection_file": fname, "shell_port": cfg["shell_port"]}


def c_exec(cf, code):
    """One execute_request on an existing kernel."""
    kc = connect(cf)
    ex = execute(kc, code)
    kc.stop_channels()
    return {"status": ex["reply"]["status"], "result": ex["result"], "stdout": ex["stdout"], "reply": ex["reply"]}


def c_shutdown(cf):
    """Executes a cell then sends shutdown_request (restart false) on control."""
    kc = connect(cf)
    ex = execute(kc, "1 + 1")
    reply = control_request(kc, "shutdown_request", {"restart": False})
    kc.stop_channels()
    return {"execute": ex["result"], "shutdown_reply": reply["content"]}


COMMANDS = {
    "specs": c_specs,
    "notebook": c_notebook,
    "service": c_service,
    "second-kernel": c_second_kernel,
    "write-connection-file": c_write_connection_file,
    "shutdown": c_shutdown,
    "exec": c_exec,
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print("usage: jupyter_e2e.py {%s} ..." % "|".join(COMMANDS), file=sys.stderr)
        return 2
    try:
        out = COMMANDS[sys.argv[1]](*sys.argv[2:])
    except Failure as e:
        print("FAILED: %s" % e, file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - report anything else with its traceback
        traceback.print_exc()
        return 1
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
