"""Drives a running llmspell kernel with the real jupyter_client.

Usage: scenario.py <connection-file> <scenario>
Prints one JSON object on the last stdout line; exits non-zero with a message on failure.
"""
import json
import sys
import time
import traceback

from jupyter_driver import (Failure, Session, check, connect, control_request, execute, reply_for,  # noqa: F401
                            until_idle, zmq)
import jupyter_driver

TIMEOUT = jupyter_driver.TIMEOUT


def result_text(ex):
    return ex["result"]


def stdout_text(ex, name="stdout"):
    return ex[name]


def shell_request(kc, method, *args, **kw):
    msg_id = getattr(kc, method)(*args, **kw)
    return reply_for(kc.get_shell_msg, msg_id)["content"]




# ---------------------------------------------------------------- scenarios

def s_kernel_info(kc, cf):
    shell = kc.kernel_info(reply=True, timeout=TIMEOUT)
    iopub = until_idle(kc, shell["parent_header"]["msg_id"])
    control = control_request(kc, "kernel_info_request")
    return {"shell": shell["content"], "control": control["content"], "iopub": iopub,
            "reply_header": shell["header"]}


def s_execute(kc, cf):
    out = {}
    out["print"] = execute(kc, 'print("hello")')
    out["stdout"] = stdout_text(out["print"])
    out["add"] = execute(kc, "1+2")
    out["add_result"] = result_text(out["add"])
    out["error"] = execute(kc, 'error("boom")')
    out["silent"] = execute(kc, "1+1", silent=True)
    out["after"] = execute(kc, "10*2", user_expressions={"a": "1+1", "bad": "error('x')"})
    return out


def s_stop_on_error(kc, cf):
    # the failing cell runs long enough for the next requests to be queued behind it
    first = kc.execute('local t0 = os.clock() while os.clock() - t0 < 0.3 do end error("first")')
    second = kc.execute("1+1")
    third = kc.execute("2+2", stop_on_error=False)
    r1 = reply_for(kc.get_shell_msg, first)
    r2 = reply_for(kc.get_shell_msg, second)
    r3 = reply_for(kc.get_shell_msg, third)
    after = execute(kc, "3+3")
    return {"first": r1["content"]["status"], "second": r2["content"]["status"],
            "third": r3["content"]["status"], "after": after["reply"]["status"]}


def s_interrupt(kc, cf):
    execute(kc, "x = 42")
    msg_id = kc.execute("while true do end")
    # wait until the kernel is busy with it
    wait_for(kc, msg_id, "execute_input")
    time.sleep(0.2)  # let the loop actually spin
    t0 = time.monotonic()
    ctl = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(ctl)
    reply = reply_for(kc.get_shell_msg, msg_id)
    elapsed = time.monotonic() - t0
    interrupt_reply = reply_for(kc.get_control_msg, ctl["header"]["msg_id"])
    until_idle(kc, msg_id)
    after = execute(kc, "x")
    return {"elapsed": elapsed, "reply": reply["content"], "interrupt_reply": interrupt_reply["content"],
            "x": result_text(after)}


def s_introspection(kc, cf):
    out = {}
    out["complete_code"] = shell_request(kc, "is_complete", "x = 1")
    out["incomplete_code"] = shell_request(kc, "is_complete", "for i = 1, 3 do")
    out["invalid_code"] = shell_request(kc, "is_complete", "x = = 1 )")
    execute(kc, "myvariable = 1")
    code = "myvar"
    out["complete"] = shell_request(kc, "complete", code, len(code))
    code = "string.fo"
    out["complete_member"] = shell_request(kc, "complete", code, len(code))
    out["inspect"] = shell_request(kc, "inspect", "print", 5)
    out["inspect_missing"] = shell_request(kc, "inspect", "nosuchthing_xyz", 5)
    return out


def s_history(kc, cf):
    execute(kc, "x = 1")
    execute(kc, "y = 2")
    execute(kc, "x = 3")
    execute(kc, "1+1", store_history=False)
    out = {}
    out["tail"] = shell_request(kc, "history", hist_access_type="tail", n=2)
    out["range"] = shell_request(kc, "history", hist_access_type="range", session=0, start=1, stop=3, raw=True, output=False)
    out["search"] = shell_request(kc, "history", hist_access_type="search", pattern="x*", unique=True)
    return out


def s_stdin(kc, cf):
    msg_id = kc.execute("x = io.read()", allow_stdin=True)
    req = kc.get_stdin_msg(timeout=TIMEOUT)
    check(req["msg_type"] == "input_request", "expected input_request, got %s" % req["msg_type"])
    check(req["parent_header"].get("msg_id") == msg_id, "input_request has the wrong parent")
    kc.input("hello from stdin")
    reply = reply_for(kc.get_shell_msg, msg_id)
    until_idle(kc, msg_id)
    after = execute(kc, "x")
    return {"input_request": req["content"], "reply": reply["content"], "x": result_text(after)}


def s_shutdown(kc, cf):
    reply = control_request(kc, "shutdown_request", {"restart": False})
    return {"reply": reply["content"]}


def s_restart(kc, cf):
    execute(kc, "x = 5")
    before = execute(kc, "x")
    reply = control_request(kc, "shutdown_request", {"restart": True})
    after = execute(kc, "x == nil")
    return {"reply": reply["content"], "before": result_text(before), "after": result_text(after),
            "count_after": after["reply"].get("execution_count")}


def s_bad_signature(kc, cf):
    sock = jupyter_driver.raw_socket(cf, "shell_port", zmq.DEALER)
    bad = Session(key=b"definitely-the-wrong-key", signature_scheme="hmac-sha256")
    bad.send(sock, "kernel_info_request", {})
    bad.send(sock, "execute_request", {"code": "pwned = 1", "silent": False})
    # malformed frames
    sock.send_multipart([b"garbage"])
    sock.send_multipart([b"<IDS|MSG>", b"sig", b"{}"])
    frames = [b"{not json", b"{}", b"{}", b"{}"]
    sock.send_multipart([b"<IDS|MSG>", kc.session.sign(frames)] + frames)
    # replay: the same correctly signed message twice gets one reply
    good = Session(key=kc.session.key, signature_scheme="hmac-sha256")
    msg = good.msg("kernel_info_request", {})
    wire = good.serialize(msg)
    sock.send_multipart(wire)
    sock.send_multipart(wire)
    replies = jupyter_driver.drain(sock, good, 2.0)
    sock.close()
    # the good client keeps working
    info_reply = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    return {"raw_replies": replies, "replayed_msg_id": msg["header"]["msg_id"], "good_client": info_reply["status"]}


def s_heartbeat(kc, cf):
    msg_id = kc.execute("while true do end")
    wait_for(kc, msg_id, "execute_input")
    sock = jupyter_driver.raw_socket(cf, "hb_port", zmq.REQ)
    answered = []
    for i in range(3):
        payload = b"ping-%d" % i
        t0 = time.monotonic()
        sock.send(payload)
        check(sock.poll(2000) != 0, "heartbeat not answered while a cell runs")
        check(sock.recv() == payload, "heartbeat echoed the wrong payload")
        answered.append(time.monotonic() - t0)
    sock.close()
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = reply_for(kc.get_shell_msg, msg_id)
    return {"answered": answered, "status": reply["content"]["status"]}


def wait_for(kc, msg_id, msg_type):
    deadline = time.monotonic() + TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        check(remaining > 0, "timed out waiting for %s" % msg_type)
        msg = kc.get_iopub_msg(timeout=remaining)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type:
            return msg


def s_streaming(kc, cf):
    """Output of a cell that never ends shows up while it runs."""
    msg_id = kc.execute('print("first") io.stderr:write("err\\n") while true do end')
    first = wait_for(kc, msg_id, "stream")
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = reply_for(kc.get_shell_msg, msg_id)
    return {"first": first["content"], "status": reply["content"]["status"],
            "ename": reply["content"].get("ename")}


def s_interrupt_input(kc, cf):
    msg_id = kc.execute("x = io.read()", allow_stdin=True)
    req = kc.get_stdin_msg(timeout=TIMEOUT)
    check(req["msg_type"] == "input_request", "expected input_request")
    t0 = time.monotonic()
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = reply_for(kc.get_shell_msg, msg_id)
    elapsed = time.monotonic() - t0
    after = execute(kc, "1+1")
    return {"elapsed": elapsed, "reply": reply["content"], "after": result_text(after)}


def s_timeout(kc, cf):
    t0 = time.monotonic()
    looping = execute(kc, "while true do end")
    elapsed = time.monotonic() - t0
    after = execute(kc, "1+1")
    return {"elapsed": elapsed, "reply": looping["reply"], "after": result_text(after)}


def s_kernel_info_only_hb(kc, cf):
    """Heartbeat without executing Lua."""
    sock = jupyter_driver.raw_socket(cf, "hb_port", zmq.REQ)
    sock.send(b"ping")
    check(sock.poll(5000) != 0, "heartbeat not answered")
    data = sock.recv()
    sock.close()
    return {"echo": data.decode()}


SCENARIOS = {name[2:]: fn for name, fn in globals().items() if name.startswith("s_")}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in SCENARIOS:
        print("usage: scenario.py <connection-file> <%s>" % "|".join(sorted(SCENARIOS)), file=sys.stderr)
        return 2
    cf, name = sys.argv[1], sys.argv[2]
    kc = connect(cf)
    try:
        result = SCENARIOS[name](kc, cf)
    except Failure as e:
        print("scenario %s failed: %s" % (name, e), file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        print("scenario %s raised" % name, file=sys.stderr)
        return 1
    finally:
        try:
            kc.stop_channels()
        except Exception:
            pass
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
