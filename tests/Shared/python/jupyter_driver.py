"""Client helpers shared by the Python drivers of the kernel and end-to-end tests (real jupyter_client).

Imported from the script's own directory: each test project copies this file next to its scripts.
A missing package exits 3, naming the Debian packages to install.
"""
import json
import sys
import time

try:
    import zmq  # noqa: F401  (re-exported for the drivers that speak the wire protocol directly)
    from jupyter_client import BlockingKernelClient
    from jupyter_client.session import Session  # noqa: F401
except ImportError as e:  # pragma: no cover
    print("pyzmq/jupyter_client are not importable (%s): apt-get install python3-jupyter-client python3-zmq" % e,
          file=sys.stderr)
    sys.exit(3)

# Seconds; a driver may raise it (module attribute, read at call time).
TIMEOUT = 20


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def connect(cf):
    kc = BlockingKernelClient()
    kc.load_connection_file(cf)
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return kc


def raw_socket(cf, port, kind):
    """A zmq socket of `kind` (zmq.DEALER, zmq.REQ) connected to `port` ("shell_port", "hb_port") of connection file cf."""
    with open(cf) as f:
        info = json.load(f)
    sock = zmq.Context.instance().socket(kind)
    sock.linger = 0
    sock.connect("%s://%s:%d" % (info.get("transport", "tcp"), info["ip"], info[port]))
    return sock


def reply_for(get, msg_id, timeout=None):
    """The first message from get() whose parent is msg_id."""
    deadline = time.monotonic() + (timeout or TIMEOUT)
    while True:
        remaining = deadline - time.monotonic()
        check(remaining > 0, "timed out waiting for the reply to %s" % msg_id)
        msg = get(timeout=remaining)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def until_idle(kc, msg_id, timeout=None):
    """The iopub messages whose parent is msg_id, up to and including status idle."""
    deadline = time.monotonic() + (timeout or TIMEOUT)
    out = []
    while True:
        remaining = deadline - time.monotonic()
        check(remaining > 0, "timed out waiting for status idle on iopub for %s" % msg_id)
        msg = kc.get_iopub_msg(timeout=remaining)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        out.append({"msg_type": msg["msg_type"], "content": msg["content"]})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out


def stream(iopub, name="stdout"):
    return "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream" and m["content"]["name"] == name)


def result(iopub):
    for m in iopub:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"].get("text/plain")
    return None


def execute(kc, code, **kw):
    """Runs code and waits for both the execute_reply and status idle."""
    msg_id = kc.execute(code, **kw)
    reply = reply_for(kc.get_shell_msg, msg_id)
    iopub = until_idle(kc, msg_id)
    return {"reply": reply["content"], "iopub": iopub, "stdout": stream(iopub), "stderr": stream(iopub, "stderr"),
            "result": result(iopub), "errors": [m["content"] for m in iopub if m["msg_type"] == "error"]}


def control_request(kc, msg_type, content=None):
    msg = kc.session.msg(msg_type, content or {})
    kc.control_channel.send(msg)
    return reply_for(kc.get_control_msg, msg["header"]["msg_id"])


def drain(sock, session, seconds):
    """Every message a raw socket receives within `seconds`, as {"msg_type", "parent"} (the parent's msg_id)."""
    replies = []
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if dict(poller.poll(100)).get(sock):
            _, parsed = session.feed_identities(sock.recv_multipart(), copy=True)
            m = session.deserialize(parsed)
            replies.append({"msg_type": m["msg_type"], "parent": m["parent_header"].get("msg_id")})
    return replies


def outcome(kc, code):
    """Executes code through a legitimate client: status, text result, output, and error name and value."""
    ex = execute(kc, code)
    reply = ex["reply"]
    return {"status": reply["status"], "result": ex["result"], "stream": ex["stdout"] + ex["stderr"],
            "ename": reply.get("ename"), "evalue": reply.get("evalue")}


def sign(key, frames):
    """The HMAC-SHA256 signature frame over already-serialized message frames."""
    import hashlib
    import hmac
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for f in frames:
        mac.update(f)
    return mac.hexdigest().encode()


def send_signed(sock, key, parts):
    """Sends header/parent/metadata/content (+buffers) exactly as given, validly signed: for hostile shapes."""
    sock.send_multipart([b"<IDS|MSG>", sign(key, parts)] + list(parts))


def http(base, token, method, path, timeout=None):
    """(status, body text) of a REST call; POSTs send {} as Jupyter Server clients do."""
    import urllib.error
    import urllib.request
    headers = {"Authorization": "token " + token} if token else {}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base.rstrip("/") + path, method=method, data=b"{}" if method == "POST" else None,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout or TIMEOUT) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run_script(main, *args):
    """Runs a driver's main and prints its result as the last stdout line; exit 1 with the reason on a failure."""
    import traceback
    try:
        out = main(*args)
    except Failure as e:
        print(str(e), file=sys.stderr)
        sys.exit(1)
    except Exception:  # noqa: BLE001 - anything else is reported with its traceback
        traceback.print_exc()
        sys.exit(1)
    print(json.dumps(out, default=str))
