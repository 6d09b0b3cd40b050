"""Validly signed, mutated Jupyter messages against a running llmspell kernel, next to one legitimate client.

Usage: fuzz_kernel.py <connection-file> <messages> <seed> [batch]
After every batch it checks that the kernel answers kernel_info, the heartbeat echoes, and the legitimate
client's variable is intact. Prints one JSON summary on the last stdout line; exits 1 on a failed check,
3 when jupyter_client is missing. Used by the test suite (a few thousand messages) and by scripts/fuzz-kernel.sh.
"""
import json
import random
import sys
import time
import uuid

import jupyter_driver
from jupyter_driver import check, connect, execute, zmq

jupyter_driver.TIMEOUT = TIMEOUT = 30

SHELL_TYPES = ["execute_request", "kernel_info_request", "complete_request", "inspect_request", "history_request",
               "is_complete_request", "comm_info_request", "comm_open", "comm_msg", "comm_close"]
CONTROL_TYPES = ["interrupt_request", "kernel_info_request", "debug_request", "usage_request"]
SNIPPETS = ["1 + 1", "local t = {} for i = 1, 10 do t[i] = i end return #t", "error('boom')", "print('hi')",
            "return ('x'):rep(3)", "syntax error here (", "string.format('%d', 3)", "io.write('w')", "os.time()",
            "return nil", "local a <const> = 5 return a", "return 2^53", "return {1, 2, {3}}"]
WEIRD = [None, True, False, 0, -1, 2 ** 63, -2 ** 63, 1e308, "", "\x00", "\n\r\x1b[2J", "é" * 50, [], {}, [1, [2, [3]]],
         {"a": {"b": {"c": None}}}, "x" * 5000]


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%06dZ" % (time.time() % 1 * 1e6)


def weird(rng):
    return rng.choice(WEIRD) if rng.random() < 0.8 else "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(1, 20)))


def content_for(rng, msg_type):
    content = {
        "execute_request": {"code": rng.choice(SNIPPETS), "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": rng.random() < 0.5},
        "complete_request": {"code": "string.fo", "cursor_pos": 9},
        "inspect_request": {"code": "string.format", "cursor_pos": 5, "detail_level": 1},
        "history_request": {"hist_access_type": "tail", "n": 10, "output": False, "raw": True},
        "is_complete_request": {"code": "for i = 1, 2 do"},
        "comm_open": {"comm_id": uuid.uuid4().hex, "target_name": "x", "data": {}},
        "comm_msg": {"comm_id": uuid.uuid4().hex, "data": {}},
        "comm_close": {"comm_id": uuid.uuid4().hex, "data": {}},
        "comm_info_request": {"target_name": "x"},
    }.get(msg_type, {})
    for _ in range(rng.randrange(0, 3)):
        action = rng.random()
        if content and action < 0.4:
            content[rng.choice(list(content))] = weird(rng)
        elif content and action < 0.6:
            content.pop(rng.choice(list(content)))
        else:
            content[rng.choice(["code", "cursor_pos", "n", "detail_level", "restart", "extra", "silent"])] = weird(rng)
    return content


def frames_for(rng, key, session, channel_types):
    msg_type = rng.choice(channel_types) if rng.random() < 0.85 else weird(rng)
    header = {"msg_id": uuid.uuid4().hex, "session": session, "username": "fuzz", "date": now(),
              "msg_type": msg_type, "version": "5.3"}
    if rng.random() < 0.3:
        field = rng.choice(list(header))
        if rng.random() < 0.5:
            header.pop(field)
        else:
            header[field] = weird(rng)
    parent, metadata = {}, {}
    if rng.random() < 0.1:
        parent = {"msg_id": weird(rng), "date": weird(rng)}
    if rng.random() < 0.1:
        metadata = weird(rng)
    content = content_for(rng, header.get("msg_type") if isinstance(header.get("msg_type"), str) else "")
    parts = [json.dumps(p).encode("utf-8", "surrogatepass") for p in (header, parent, metadata, content)]
    roll = rng.random()
    if roll < 0.05:
        parts[rng.randrange(4)] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))   # not JSON
    elif roll < 0.08:
        parts[3] = b"[" * 5000 + b"]" * 5000                                                     # deep nesting
    elif roll < 0.10:
        parts.append(b"buffer" * rng.randrange(1, 100))                                          # extra buffers
    elif roll < 0.12:
        parts = parts[:rng.randrange(1, 4)]                                                       # missing frames
    return [b"<IDS|MSG>", jupyter_driver.sign(key, parts)] + parts


def heartbeat_echoes(cf):
    sock = jupyter_driver.raw_socket(cf, "hb_port", zmq.REQ)
    try:
        sock.send(b"ping")
        return sock.poll(5000) and sock.recv() == b"ping"
    finally:
        sock.close()


def drain(sock):
    n = 0
    while sock.poll(0):
        sock.recv_multipart()
        n += 1
    return n


def legit_x(kc):
    """The legitimate client's x + 1. A fuzzed cell that fails with stop_on_error aborts the requests queued behind it
    (Jupyter's rule, whoever sent them), so an aborted reply is retried: the state, not the queue, must survive."""
    for _ in range(5):
        after = execute(kc, "x + 1")
        if after["reply"]["status"] != "aborted":
            return after
        time.sleep(0.2)
    return after


def main(cf, total, seed, batch=250):
    total, seed, batch = int(total), int(seed), int(batch)
    rng = random.Random(seed)
    kc = connect(cf)
    check(execute(kc, "x = 41")["reply"]["status"] == "ok", "legitimate client set x")
    shell = jupyter_driver.raw_socket(cf, "shell_port", zmq.DEALER)
    control = jupyter_driver.raw_socket(cf, "control_port", zmq.DEALER)
    key, session = kc.session.key, uuid.uuid4().hex
    sent = replies = checks = 0
    started = time.monotonic()
    while sent < total:
        for _ in range(min(batch, total - sent)):
            on_control = rng.random() < 0.25
            sock = control if on_control else shell
            sock.send_multipart(frames_for(rng, key, session, CONTROL_TYPES if on_control else SHELL_TYPES))
            sent += 1
            replies += drain(shell) + drain(control)
        info = kc.kernel_info(reply=True, timeout=TIMEOUT)
        check(info["content"]["status"] == "ok", "kernel_info after %d messages: %r" % (sent, info["content"]))
        check(heartbeat_echoes(cf), "heartbeat echoes after %d messages" % sent)
        after = legit_x(kc)
        check(after["result"] == "42", "x intact after %d messages (seed %d): %r" % (sent, seed, after["reply"]))
        checks += 1
    time.sleep(0.5)
    replies += drain(shell) + drain(control)
    shell.close()
    control.close()
    kc.stop_channels()
    return {"sent": sent, "replies": replies, "checks": checks, "seed": seed, "seconds": round(time.monotonic() - started, 1)}


if __name__ == "__main__":
    jupyter_driver.run_script(main, *sys.argv[1:])
