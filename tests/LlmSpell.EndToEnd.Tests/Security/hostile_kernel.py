"""Hostile Jupyter clients against a running llmspell kernel, next to one legitimate client.

Usage: hostile_kernel.py <connection-file> <wire|sandbox> [oversize-bytes]
Prints one JSON object on the last stdout line; exits 3 when pyzmq/jupyter_client are missing, 1 on failure.
"""
import json
import sys
import traceback

import jupyter_driver
from jupyter_driver import Session, connect, execute, zmq

jupyter_driver.TIMEOUT = TIMEOUT = 30


run = jupyter_driver.outcome


def wire(kc, cf, oversize):
    before = run(kc, "x = 41")
    sock = jupyter_driver.raw_socket(cf, "shell_port", zmq.DEALER)
    key = kc.session.key
    sent = {}
    # unsigned: the signature frame is empty
    unsigned = Session(key=b"", signature_scheme="hmac-sha256")
    unsigned.send(sock, "execute_request", {"code": "x = 666", "silent": False})
    sent["unsigned"] = 1
    # wrongly signed: a different key
    wrong = Session(key=b"definitely-the-wrong-key", signature_scheme="hmac-sha256")
    wrong.send(sock, "execute_request", {"code": "x = 667", "silent": False})
    sent["bad_signature"] = 1
    # replayed: one correctly signed message sent twice; only the first may run
    good = Session(key=key, signature_scheme="hmac-sha256")
    replayed = good.msg("execute_request", {"code": "replayed = (replayed or 0) + 1", "silent": False})
    frames = good.serialize(replayed)
    sock.send_multipart(frames)
    sock.send_multipart(frames)
    sent["replay"] = 1
    # truncated: correctly signed header, the rest cut off
    truncated = good.serialize(good.msg("execute_request", {"code": "x = 668", "silent": False}))
    sock.send_multipart(truncated[:3])
    sent["truncated"] = 1
    # oversized: correctly signed but larger than max_message_size_mb
    big = good.msg("execute_request", {"code": "x = 669 --" + "a" * oversize, "silent": False})
    sock.send_multipart(good.serialize(big))
    sent["oversized"] = 1
    # collect whatever the hostile socket gets back, up to a deadline
    replies = jupyter_driver.drain(sock, good, 3.0)
    sock.close()
    after = run(kc, "x + 1")
    count = run(kc, "replayed")
    info_reply = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    return {"before": before, "after": after, "replayed_runs": count, "hostile_replies": replies,
            "replayed_msg_id": replayed["header"]["msg_id"], "kernel_info": info_reply.get("status"), "sent": sent}


ESCAPES = {
    "os_execute": 'os.execute("id")',
    "io_popen": 'local p = io.popen("id") return p:read("a")',
    "package_loadlib": 'return package.loadlib("/lib/x86_64-linux-gnu/libc.so.6", "system")',
    "require_debug": 'local d = require "debug" return d.getregistry()',
    "debug_global": 'return debug.getregistry()',
    "os_exit": 'os.exit(3)',
    "read_etc_passwd": 'local f = assert(io.open("/etc/passwd")) return f:read("a")',
    "dofile_etc_passwd": 'return dofile("/etc/passwd")',
    "loadfile_etc_passwd": 'return loadfile("/etc/passwd")',
}


def sandbox(kc, cf):
    before = run(kc, "x = 41")
    escapes = {}
    for name, code in ESCAPES.items():
        escapes[name] = run(kc, code)
    after = run(kc, "x + 1")
    info_reply = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    return {"before": before, "after": after, "escapes": escapes, "kernel_info": info_reply.get("status")}


def main():
    cf, scenario = sys.argv[1], sys.argv[2]
    kc = connect(cf)
    try:
        if scenario == "wire":
            out = wire(kc, cf, int(sys.argv[3]))
        else:
            out = sandbox(kc, cf)
    finally:
        kc.stop_channels()
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except Exception:  # pragma: no cover
        traceback.print_exc()
        sys.exit(1)
