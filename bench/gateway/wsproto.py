"""Jupyter kernel websocket framing for the gateway benchmark (python3-websocket): the legacy JSON protocol and
v1.kernel.websocket.jupyter.org. Same wire format as tests/LlmSpell.EndToEnd.Tests/Gateway/ws_client.py, reduced to
what the benchmark sends (execute_request, kernel_info_request) and receives."""
import datetime
import json
import struct
import uuid

import websocket

V1 = "v1.kernel.websocket.jupyter.org"


def header(msg_type, session):
    return {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "bench",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "version": "5.3"}


def request(msg_type, content, session, channel="shell"):
    return {"header": header(msg_type, session), "parent_header": {}, "metadata": {}, "channel": channel,
            "content": content}


def execute_request(code, session):
    return request("execute_request", {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                       "allow_stdin": False, "stop_on_error": True}, session)


def kernel_info_request(session):
    return request("kernel_info_request", {}, session)


def v1_encode(channel, msg):
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    ch = channel.encode()
    first = 8 * (1 + 1 + len(parts) + 1)
    offsets = [first, first + len(ch)]
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
    return msg


def legacy_decode(opcode, data):
    if opcode == websocket.ABNF.OPCODE_BINARY:  # a message with buffers: offsets, then the JSON part
        n = struct.unpack("!I", data[:4])[0]
        offsets = list(struct.unpack("!" + "I" * n, data[4:4 * (n + 1)])) + [None]
        return json.loads(data[offsets[0]:offsets[1]])
    return json.loads(data)


class Channels:
    """One websocket to /api/kernels/{id}/channels (llmspell's, or Jupyter Server's relay of it)."""

    def __init__(self, base_ws, kernel_id, token, protocol=None, timeout=30):
        self.protocol = protocol
        self.session = uuid.uuid4().hex
        url = f"{base_ws}/api/kernels/{kernel_id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {token}"],
                                              subprotocols=[protocol] if protocol else None, timeout=timeout)
        if protocol and self.ws.getsubprotocol() != protocol:
            raise RuntimeError(f"server did not accept subprotocol {protocol}: {self.ws.getsubprotocol()!r}")

    def send(self, msg):
        if self.protocol == V1:
            self.ws.send_binary(v1_encode(msg["channel"], msg))
        else:
            self.ws.send(json.dumps(msg))

    def recv(self):
        opcode, data = self.ws.recv_data(control_frame=False)
        return v1_decode(data) if self.protocol == V1 else legacy_decode(opcode, data)

    def execute(self, code, timeout=10):
        """Sends execute_request and reads until its execute_reply and its idle status both came; returns the
        reply status."""
        req = execute_request(code, self.session)
        rid = req["header"]["msg_id"]
        self.ws.settimeout(timeout)
        self.send(req)
        status, idle = None, False
        while status is None or not idle:
            m = self.recv()
            if m["parent_header"].get("msg_id") != rid:
                continue
            t = m["header"]["msg_type"]
            if t == "execute_reply":
                status = m["content"].get("status")
            elif t == "status" and m["content"].get("execution_state") == "idle":
                idle = True
        return status

    def kernel_info(self, timeout=30, resend_s=None):
        """kernel_info_request until its kernel_info_reply; with resend_s, a new request every resend_s seconds
        while none is answered (Jupyter Server 1.23 in gateway mode can lose a message sent right after the
        websocket opened). Returns (reply content, requests sent)."""
        import time
        ids, deadline = set(), time.monotonic() + timeout
        while True:
            req = kernel_info_request(self.session)
            ids.add(req["header"]["msg_id"])
            self.send(req)
            next_send = time.monotonic() + (resend_s or timeout)
            while True:
                left = min(next_send, deadline) - time.monotonic()
                if left <= 0:
                    if time.monotonic() >= deadline:
                        raise TimeoutError(f"no kernel_info_reply within {timeout} s ({len(ids)} requests)")
                    break
                self.ws.settimeout(left)
                try:
                    m = self.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                if m["header"]["msg_type"] == "kernel_info_reply" and m["parent_header"].get("msg_id") in ids:
                    return m["content"], len(ids)

    def close(self):
        try:
            self.ws.close(timeout=2)
        except Exception:
            pass
