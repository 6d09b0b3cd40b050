"""Direct websocket clients of llmspell's /api/kernels/{id}/channels (python3-websocket), written from Jupyter's
protocol descriptions: the legacy JSON/binary protocol and v1.kernel.websocket.jupyter.org.

Usage: ws_client.py SCENARIO BASE_WS_URL KERNEL_ID TOKEN  -> prints one JSON object with what happened."""
import datetime
import json
import struct
import sys
import threading
import time
import uuid

import websocket

V1 = "v1.kernel.websocket.jupyter.org"


def header(msg_type, session):
    return {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "e2e",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "version": "5.3"}


def execute(code, session, channel="shell"):
    return {"header": header("execute_request", session), "parent_header": {}, "metadata": {}, "channel": channel,
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}}


def legacy_binary(msg, buffers):
    parts = [json.dumps(msg).encode()] + list(buffers)
    offsets = [4 * (len(parts) + 1)]
    for p in parts[:-1]:
        offsets.append(offsets[-1] + len(p))
    return struct.pack("!" + "I" * (len(parts) + 1), len(parts), *offsets) + b"".join(parts)


def v1_encode(channel, msg, buffers=()):
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")] + list(buffers)
    ch = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1), 8 * (1 + 1 + len(parts) + 1) + len(ch)]
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    return len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets) + ch + b"".join(parts)


def v1_decode(data):
    n = int.from_bytes(data[:8], "little")
    offsets = [int.from_bytes(data[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    channel = data[offsets[0]:offsets[1]].decode()
    parts = [data[offsets[i]:offsets[i + 1]] for i in range(1, n - 1)]
    msg = {k: json.loads(parts[i]) for i, k in enumerate(("header", "parent_header", "metadata", "content"))}
    msg["channel"] = channel
    msg["msg_type"] = msg["header"]["msg_type"]
    msg["buffers"] = parts[4:]
    return msg


def recv(ws, protocol=None):
    opcode, data = ws.recv_data(control_frame=False)
    if protocol == V1:
        return v1_decode(data)
    if opcode == websocket.ABNF.OPCODE_BINARY:
        n = struct.unpack("!I", data[:4])[0]
        offsets = list(struct.unpack("!" + "I" * n, data[4:4 * (n + 1)])) + [None]
        msg = json.loads(data[offsets[0]:offsets[1]])
        msg["buffers"] = [data[offsets[i]:offsets[i + 1]] for i in range(1, n)]
        return msg
    return json.loads(data)


def run_until_reply(ws, request, protocol=None, timeout=30, send=True):
    """Messages answering `request` until both its reply and its idle status came (they travel on different channels,
    so either may come first, as with any Jupyter client): stream text, results, reply content, iopub types."""
    ws.settimeout(timeout)
    if send:
        ws.send(json.dumps(request))
    out = {"stream": "", "results": [], "reply": None, "iopub_types": [], "foreign_replies": 0}
    rid = request["header"]["msg_id"]
    while out["reply"] is None or "idle" not in out.setdefault("states", []):
        msg = recv(ws, protocol)
        mine = msg["parent_header"].get("msg_id") == rid
        if msg["channel"] == "iopub" and mine:
            out["iopub_types"].append(msg["msg_type"])
            if msg["msg_type"] == "status":
                out.setdefault("states", []).append(msg["content"]["execution_state"])
            if msg["msg_type"] == "stream":
                out["stream"] += msg["content"]["text"]
            elif msg["msg_type"] == "execute_result":
                out["results"].append(msg["content"]["data"]["text/plain"])
        elif msg["channel"] in ("shell", "control"):
            if mine:
                out["reply"] = msg["content"]
                out["reply_type"] = msg["msg_type"]
            else:
                out["foreign_replies"] += 1
    return out


def connect(base, kid, token, protocol=None, **kw):
    url = f"{base}/api/kernels/{kid}/channels?session_id={uuid.uuid4().hex}"
    headers = kw.pop("header", None) or [f"Authorization: token {token}"]
    return websocket.create_connection(url, header=headers, subprotocols=[protocol] if protocol else None, timeout=30, **kw)


def handshake_status(base, kid, headers, query="", origin=None):
    try:
        ws = websocket.create_connection(f"{base}/api/kernels/{kid}/channels{query}", header=headers, timeout=10,
                                         origin=origin, suppress_origin=origin is None)
        ws.close()
        return 101
    except websocket.WebSocketBadStatusException as e:
        return e.status_code


def close_of(ws, timeout=20):
    """Reads until the server closes; returns (code, reason)."""
    ws.settimeout(timeout)
    try:
        while True:
            frame = ws.recv_data_frame(control_frame=True)[1]
            if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
                data = frame.data
                return (struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None, data[2:].decode(errors="replace"))
    except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError) as e:
        return (None, f"connection dropped: {type(e).__name__}")


def scenario_legacy(base, kid, token):
    ws = connect(base, kid, token)
    r = run_until_reply(ws, execute('print("hello ws") return 6 * 7', "legacy"))
    # A message with binary buffers, in the legacy binary form: the kernel still gets it whole (and answers).
    req = execute("return 1 + 1", "legacy")
    ws.send_binary(legacy_binary(req, [b"\x00\x01\x02", b"buffer"]))
    b = run_until_reply(ws, req, send=False)
    ws.ping(b"are you there")
    ws.settimeout(10)
    pong = None
    while pong is None:
        opcode, frame = ws.recv_data_frame(control_frame=True)
        if frame.opcode == websocket.ABNF.OPCODE_PONG:
            pong = frame.data.decode()
    ws.close()
    return {"subprotocol": ws.getsubprotocol(), "first": r, "binary": b, "pong": pong}


def scenario_v1(base, kid, token):
    ws = connect(base, kid, token, protocol=V1)
    req = execute('print("hello v1") return "v" .. 1', "v1")
    ws.send_binary(v1_encode("shell", req, [b"\xff\xfe"]))
    r = run_until_reply(ws, req, protocol=V1, send=False)
    ws.close()
    return {"subprotocol": ws.getsubprotocol(), "first": r}


def scenario_auth(base, kid, token):
    same = base.replace("ws://", "http://")
    return {
        "no_token": handshake_status(base, kid, []),
        "wrong_token": handshake_status(base, kid, ["Authorization: token wrong"]),
        "query_token": handshake_status(base, kid, [], f"?token={token}"),
        "wrong_query_token": handshake_status(base, kid, [], "?token=wrong"),
        "foreign_origin": handshake_status(base, kid, [f"Authorization: token {token}"], origin="http://evil.example"),
        "same_origin": handshake_status(base, kid, [f"Authorization: token {token}"], origin=same),
        "unknown_kernel": handshake_status(base, "00000000-0000-0000-0000-000000000000", [f"Authorization: token {token}"]),
    }


def scenario_many(base, kid, token):
    clients = [connect(base, kid, token) for _ in range(3)]
    results = [None] * len(clients)
    errors = []

    def work(i):
        try:
            out = []
            for n in range(3):
                out.append(run_until_reply(clients[i], execute(f'return "client {i} run {n}"', f"many{i}")))
            results[i] = out
        except Exception as e:  # reported, not swallowed
            errors.append(f"client {i}: {e!r}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    for c in clients:
        c.close()
    return {"results": results, "errors": errors}


def scenario_disconnect(base, kid, token):
    """A client leaves in the middle of a cell; the cell finishes, and the next client finds the kernel idle and working."""
    gone = connect(base, kid, token)
    gone.send(json.dumps(execute("local t = os.clock() while os.clock() - t < 1 do end left = 'finished'", "gone")))
    gone.settimeout(10)
    while recv(gone)["msg_type"] != "execute_input":
        pass
    gone.close()
    ws = connect(base, kid, token)
    after = run_until_reply(ws, execute("return left", "after"))
    ws.close()
    return {"after": after["results"], "status": after["reply"]["status"]}


def scenario_drain(base, kid, token):
    """A 4 s cell runs; the caller sends SIGTERM on `running`; the cell should finish, then the socket close (1001)."""
    ws = connect(base, kid, token)
    req = execute("local t = os.clock() while os.clock() - t < 4 do end return 'drained'", "drain")
    ws.send(json.dumps(req))
    ws.settimeout(30)
    while recv(ws)["msg_type"] != "execute_input":
        pass
    sys.stderr.write("running\n")
    sys.stderr.flush()
    out = run_until_reply(ws, req, send=False)
    return {"results": out["results"], "status": out["reply"]["status"], "closed": close_of(ws, timeout=30)}


def scenario_invalid(base, kid, token):
    ws = connect(base, kid, token)
    ws.send("this is not json")
    first = close_of(ws)
    ws = connect(base, kid, token)
    ws.send(json.dumps({"header": {"msg_id": "x"}, "channel": "shell"}))
    second = close_of(ws)
    ws = connect(base, kid, token)
    after = run_until_reply(ws, execute('return "fine"', "invalid"))
    ws.close()
    return {"not_json": first, "no_msg_type": second, "after": after["results"]}


def scenario_too_large(base, kid, token):
    ws = connect(base, kid, token)
    ws.send(json.dumps(execute("return '" + "y" * (2 * 1024 * 1024) + "'", "large")))
    closed = close_of(ws)
    ws = connect(base, kid, token)
    after = run_until_reply(ws, execute('return "fine"', "large"))
    ws.close()
    return {"closed": closed, "after": after["results"]}


def scenario_stop(base, kid, token):
    """The caller deletes the kernel after `connected` is printed on stderr; we report how the socket closed."""
    ws = connect(base, kid, token)
    run_until_reply(ws, execute("x = 1", "stop"))
    sys.stderr.write("connected\n")
    sys.stderr.flush()
    return {"closed": close_of(ws, timeout=30)}


def scenario_restart(base, kid, token):
    """Sets a global, then (after the caller restarts the kernel on `restart-now`) reads it on the same socket."""
    ws = connect(base, kid, token)
    run_until_reply(ws, execute("marker = 'before'", "restart"))
    sys.stderr.write("restart-now\n")
    sys.stderr.flush()
    sys.stdin.readline()
    after = run_until_reply(ws, execute("return tostring(marker)", "restart"))
    ws.close()
    return {"after": after["results"]}


if __name__ == "__main__":
    name, base, kid, token = sys.argv[1:5]
    print(json.dumps(globals()["scenario_" + name](base, kid, token)))
