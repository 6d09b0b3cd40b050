"""Drives Jupyter Server in gateway mode (its own REST API and websocket) in front of a running llmspell service.

Usage: gateway_e2e.py lifecycle|session <jupyter-url> <jupyter-token> <llmspell-url> <llmspell-token>
Everything goes through Jupyter Server except the GET /api/kernels on llmspell that shows what the gateway holds.
Prints one JSON object on the last stdout line and exits 0; on a failed step exits 1 with the reason on stderr.
A missing Python package exits 3 naming the Debian package to install.
"""
import json
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid

try:
    import websocket  # python3-websocket (websocket-client), the library Jupyter Server's gateway client uses too
except ImportError as e:  # pragma: no cover
    print("websocket-client is not importable (%s): apt-get install python3-websocket" % e, file=sys.stderr)
    sys.exit(3)

TIMEOUT = 20  # seconds for one REST call or one websocket reply


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def rest(base, token, method, path, body=None):
    """(status, parsed JSON or text) of one REST call with `Authorization: token T`."""
    headers = {"Authorization": "token " + token}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base.rstrip("/") + path, method=method, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            status, text = resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    try:
        return status, json.loads(text) if text.strip() else None
    except ValueError:
        return status, text


def ids(kernels):
    check(isinstance(kernels, list), "GET /api/kernels did not answer a list: %r" % (kernels,))
    return [k["id"] for k in kernels]


class Channels:
    """One websocket to Jupyter Server's /api/kernels/{id}/channels (the JSON text protocol its gateway handler speaks)."""

    def __init__(self, jupyter_url, token, kernel_id):
        self.session = uuid.uuid4().hex
        ws_base = "ws" + jupyter_url.rstrip("/")[len("http"):]
        url = "%s/api/kernels/%s/channels?%s" % (ws_base, kernel_id, urllib.parse.urlencode({"token": token, "session_id": self.session}))
        self.ws = websocket.create_connection(url, timeout=TIMEOUT)
        self.pending = []  # messages read while waiting for something else

    def close(self):
        self.ws.close()

    def send(self, channel, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "gateway-e2e", "session": self.session,
                       "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def recv(self, deadline):
        if self.pending:
            return self.pending.pop(0)
        remaining = deadline - time.monotonic()
        check(remaining > 0, "timed out waiting on the websocket")
        self.ws.settimeout(remaining)
        try:
            return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            raise Failure("timed out waiting on the websocket")

    def execute_start(self, code):
        return self.send("shell", "execute_request", {"code": code, "silent": False, "store_history": True,
                                                       "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})

    def wait_for(self, msg_id, predicate, what, timeout=TIMEOUT):
        """Reads until a message with parent msg_id satisfies predicate; the others of msg_id are returned too."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            try:
                msg = self.recv(deadline)
            except Failure:
                raise Failure("timed out after %d s waiting for %s; saw %s" % (timeout, what, json.dumps(seen)))
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            seen.append({"channel": msg.get("channel"), "msg_type": msg.get("msg_type"), "content": msg.get("content")})
            if predicate(msg):
                return seen

    def collect(self, msg_id, timeout=TIMEOUT):
        """The execute_reply and the iopub messages of msg_id up to status idle (in whichever order they come)."""
        deadline = time.monotonic() + timeout
        reply, iopub, seen = None, [], []
        while reply is None or not any(m["msg_type"] == "status" and m["content"].get("execution_state") == "idle" for m in iopub):
            try:
                msg = self.recv(deadline)
            except Failure:
                raise Failure("timed out after %d s waiting for the reply and idle status of %s; saw %s" % (timeout, msg_id, json.dumps(seen)))
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            seen.append({"channel": msg.get("channel"), "msg_type": msg.get("msg_type")})
            if msg.get("channel") == "shell" and msg.get("msg_type") == "execute_reply":
                reply = msg["content"]
            elif msg.get("channel") == "iopub":
                iopub.append({"msg_type": msg["msg_type"], "content": msg["content"]})
        return {
            "reply": reply,
            "stdout": "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"),
            "result": next((m["content"]["data"].get("text/plain") for m in iopub if m["msg_type"] == "execute_result"), None),
            "iopub": [m["msg_type"] for m in iopub],
        }

    def execute(self, code, timeout=TIMEOUT):
        return self.collect(self.execute_start(code), timeout)

    def wait_ready(self, timeout=TIMEOUT):
        """Sends kernel_info_requests until one is answered, as Jupyter's own clients do on connecting.

        Jupyter Server 1.x's gateway handler loses a message that arrives before its own websocket to the gateway is
        being opened (GatewayWebSocketClient.on_message waits on a future that _connect then replaces), so the first
        request is not trusted to arrive. Returns the kernel_info_reply content and how many requests it took."""
        deadline = time.monotonic() + timeout
        sent = set()
        while True:
            check(time.monotonic() < deadline, "no kernel_info_reply within %d s to %d kernel_info_requests" % (timeout, len(sent)))
            sent.add(self.send("shell", "kernel_info_request", {}))
            answer_by = min(deadline, time.monotonic() + 0.5)
            while time.monotonic() < answer_by:
                self.ws.settimeout(max(0.01, answer_by - time.monotonic()))
                try:
                    msg = json.loads(self.ws.recv())
                except websocket.WebSocketTimeoutException:
                    break
                if msg.get("msg_type") == "kernel_info_reply" and msg.get("parent_header", {}).get("msg_id") in sent:
                    return {"content": msg["content"], "requests": len(sent)}


# ---------------------------------------------------------------- commands

def c_lifecycle(ju, jt, lu, lt):
    """Kernelspecs, start, execute, interrupt, restart and delete, all through Jupyter Server."""
    out = {}
    # Jupyter Server answers its first GET /api/kernelspecs with its own default (python3) and adopts the gateway's
    # default for the next ones (GatewayKernelSpecManager.get_all_specs), so it is asked twice.
    out["kernelspecs_first"] = dict(zip(("status", "body"), rest(ju, jt, "GET", "/api/kernelspecs")))
    out["kernelspecs"] = dict(zip(("status", "body"), rest(ju, jt, "GET", "/api/kernelspecs")))
    status, body = rest(ju, jt, "GET", "/api/kernelspecs/llmspell")
    out["kernelspec"] = {"status": status, "body": body}

    # No name: Jupyter Server starts its default kernel, which is now the gateway's.
    status, model = rest(ju, jt, "POST", "/api/kernels", {})
    out["start"] = {"status": status, "body": model}
    check(status == 201 and isinstance(model, dict) and "id" in model, "Jupyter Server POST /api/kernels: %s %r" % (status, model))
    kid = model["id"]
    out["kernel_id"] = kid
    out["llmspell_after_start"] = ids(rest(lu, lt, "GET", "/api/kernels")[1])
    out["jupyter_after_start"] = ids(rest(ju, jt, "GET", "/api/kernels")[1])
    status, body = rest(ju, jt, "GET", "/api/kernels/" + kid)
    out["jupyter_get"] = {"status": status, "body": body}

    ch = Channels(ju, jt, kid)
    try:
        out["kernel_info"] = ch.wait_ready()
        # Jupyter Server's websocket to llmspell counts as the kernel's connection (culling spares connected kernels).
        out["llmspell_while_connected"] = rest(lu, lt, "GET", "/api/kernels/" + kid)[1]
        out["hello"] = ch.execute('print("hi") return 6*7')
        out["set_global"] = ch.execute("survivor = 41 return survivor")

        # A busy loop, interrupted through Jupyter Server's REST API once the kernel has started it.
        loop_id = ch.execute_start("while true do end")
        ch.wait_for(loop_id, lambda m: m.get("msg_type") == "execute_input", "execute_input of the busy loop")
        start = time.monotonic()
        status, body = rest(ju, jt, "POST", "/api/kernels/%s/interrupt" % kid, {})
        out["interrupt_http"] = {"status": status, "body": body}
        loop = ch.collect(loop_id)
        out["interrupt_elapsed"] = time.monotonic() - start
        out["interrupted"] = loop
        out["after_interrupt"] = ch.execute("return survivor + 1")

        status, body = rest(ju, jt, "POST", "/api/kernels/%s/restart" % kid, {})
        out["restart_http"] = {"status": status, "body": body}
    finally:
        ch.close()

    # A new connection after the restart, as a notebook reconnects: the Lua state is fresh.
    ch = Channels(ju, jt, kid)
    try:
        out["ready_after_restart"] = ch.wait_ready()
        out["after_restart"] = ch.execute("return tostring(survivor)")
        out["after_restart_works"] = ch.execute("return 6*7")
    finally:
        ch.close()

    status, body = rest(ju, jt, "DELETE", "/api/kernels/" + kid)
    out["delete_http"] = {"status": status, "body": body}
    out["llmspell_after_delete"] = ids(rest(lu, lt, "GET", "/api/kernels")[1])
    out["jupyter_after_delete"] = ids(rest(ju, jt, "GET", "/api/kernels")[1])
    out["jupyter_get_after_delete"] = rest(ju, jt, "GET", "/api/kernels/" + kid)[0]
    out["llmspell_get_after_delete"] = rest(lu, lt, "GET", "/api/kernels/" + kid)[0]
    return out


def c_session(ju, jt, lu, lt):
    """A notebook session through Jupyter Server: its kernel runs on llmspell, executes, and goes with the session."""
    out = {}
    status, model = rest(ju, jt, "POST", "/api/sessions", {"path": "t.ipynb", "type": "notebook", "kernel": {"name": "llmspell"}})
    out["create"] = {"status": status, "body": model}
    check(status == 201 and isinstance(model, dict) and "kernel" in model, "Jupyter Server POST /api/sessions: %s %r" % (status, model))
    sid, kid = model["id"], model["kernel"]["id"]
    out["session_id"], out["kernel_id"] = sid, kid
    status, sessions = rest(ju, jt, "GET", "/api/sessions")
    out["sessions"] = sessions
    out["llmspell_kernels"] = rest(lu, lt, "GET", "/api/kernels")[1]

    ch = Channels(ju, jt, kid)
    try:
        out["ready"] = ch.wait_ready()
        out["execute"] = ch.execute('print("from " .. "session") return 40 + 2')
    finally:
        ch.close()

    status, body = rest(ju, jt, "DELETE", "/api/sessions/" + sid)
    out["delete_http"] = {"status": status, "body": body}
    out["sessions_after_delete"] = rest(ju, jt, "GET", "/api/sessions")[1]
    out["llmspell_after_delete"] = ids(rest(lu, lt, "GET", "/api/kernels")[1])
    out["jupyter_after_delete"] = ids(rest(ju, jt, "GET", "/api/kernels")[1])
    return out


def c_remote_session(ju, jt):
    """A notebook session through a cluster instance whose kernel another instance hosts (the lead picks the setup)."""
    out = {}
    status, model = rest(ju, jt, "POST", "/api/sessions", {"path": "remote.ipynb", "type": "notebook", "kernel": {"name": "llmspell"}})
    out["create"] = {"status": status, "body": model}
    check(status == 201 and isinstance(model, dict) and "kernel" in model, "Jupyter Server POST /api/sessions: %s %r" % (status, model))
    kid = model["kernel"]["id"]
    ch = Channels(ju, jt, kid)
    try:
        out["ready"] = ch.wait_ready()
        out["execute"] = ch.execute('print("on the owner") return 6 * 7')
    finally:
        ch.close()
    return out


COMMANDS = {"lifecycle": (c_lifecycle, 4), "session": (c_session, 4), "remote_session": (c_remote_session, 2)}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS or len(sys.argv) != 2 + COMMANDS[sys.argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        out = COMMANDS[sys.argv[1]][0](*sys.argv[2:])
    except Failure as e:
        print(str(e), file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - anything else is reported with its traceback
        traceback.print_exc()
        return 1
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
