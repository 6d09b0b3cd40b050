"""Hostile inputs from the hostile-testing campaign, against the real service with the real jupyter_client.

Usage: hostile_e2e.py <connection-file> <scenario> [args...]
Scenarios: bad_date, duplicate_keys, forged_log, history, finalizer, pattern, introspection, tmpname, getenv.
Prints one JSON object on the last stdout line; exits 3 when jupyter_client is missing, 1 on a failed check.
"""
import json
import sys
import time
import uuid

import jupyter_driver
from jupyter_driver import Session, check, connect, control_request, execute, reply_for, zmq

jupyter_driver.TIMEOUT = TIMEOUT = 30


run = jupyter_driver.outcome


def legit_survives(kc):
    """A second, legitimate client's state and iopub stream are intact (jupyter_client parses every iopub message)."""
    after = run(kc, "x + 1")
    check(after["result"] == "42", "x survived: %r" % after)
    return after


def send_raw(sock, key, header, parent=b"{}", metadata=b"{}", content=b"{}"):
    jupyter_driver.send_signed(sock, key, [header, parent, metadata, content])


def header_json(msg_type, session, date="2026-12-01T00:00:00.000000Z", msg_id=None):
    return json.dumps({"msg_id": msg_id or uuid.uuid4().hex, "session": session, "username": "hostile",
                       "date": date, "msg_type": msg_type, "version": "5.3"})


def bad_date(kc, cf):
    run(kc, "x = 41")
    sock = jupyter_driver.raw_socket(cf, "shell_port", zmq.DEALER)
    session = uuid.uuid4().hex
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    send_raw(sock, kc.session.key, header_json("execute_request", session, date="2026-13-45T00:00:00Z").encode(),
             content=json.dumps({"code": "x = 666", "silent": False}).encode())
    send_raw(sock, kc.session.key, header_json("kernel_info_request", session, date=now).encode())
    replies = jupyter_driver.drain(sock, Session(key=kc.session.key, signature_scheme="hmac-sha256"), 3.0)
    sock.close()
    # The iopub stream must still parse for a stock subscriber: any message echoing the bad header would raise here.
    after = legit_survives(kc)
    return {"replies": replies, "after": after}


def duplicate_keys(kc, cf):
    run(kc, "x = 41")
    sock = jupyter_driver.raw_socket(cf, "shell_port", zmq.DEALER)
    session = uuid.uuid4().hex
    dup_header = ('{"msg_id": "%s", "msg_id": "%s", "session": "%s", "username": "u", "date": "%s", '
                  '"msg_type": "execute_request", "version": "5.3"}'
                  % (uuid.uuid4().hex, uuid.uuid4().hex, session, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
    send_raw(sock, kc.session.key, dup_header.encode(), content=b'{"code": "x = 667", "silent": false}')
    send_raw(sock, kc.session.key, header_json("execute_request", session,
                                               date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())).encode(),
             content=b'{"code": "x = 668", "code": "x = 669", "silent": false}')
    replies = jupyter_driver.drain(sock, Session(key=kc.session.key, signature_scheme="hmac-sha256"), 3.0)
    sock.close()
    after = legit_survives(kc)
    return {"replies": replies, "after": after}


FORGED = "x\n2026-12-01T00:00:00.000+00:00 [INFO] Auth: FORGED ok\x00\x1b[31m"


def forged_log(kc, cf):
    run(kc, "x = 41")
    sock = jupyter_driver.raw_socket(cf, "shell_port", zmq.DEALER)
    session = uuid.uuid4().hex
    send_raw(sock, kc.session.key, header_json(FORGED, session,
                                               date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())).encode())
    jupyter_driver.drain(sock, Session(key=kc.session.key, signature_scheme="hmac-sha256"), 1.0)
    sock.close()
    return {"after": legit_survives(kc)}


def history(kc, cf, cells, mib):
    run(kc, "x = 41")
    big = "-- " + "a" * (int(mib) * 1024 * 1024)
    for i in range(int(cells)):
        r = run(kc, "y%d = %d %s" % (i, i, big))
        check(r["status"] == "ok", "big cell %d ran: %r" % (i, r["status"]))
    msg_id = kc.history(hist_access_type="tail", n=1000, raw=True, output=False)
    reply = reply_for(kc.get_shell_msg, msg_id)
    entries = reply["content"].get("history", [])
    size = len(json.dumps(reply["content"]))
    legit_survives(kc)
    return {"status": reply["content"]["status"], "entries": len(entries), "reply_bytes": size,
            "truncated": sum(1 for e in entries if "[truncated:" in e[2])}


def finalizer(kc, cf):
    run(kc, "x = 41")
    refused = run(kc, "setmetatable({}, {__gc = function() while true do end end}) collectgarbage()")
    fine = run(kc, "return setmetatable({}, {__index = function() return 7 end}).anything")
    legit_survives(kc)
    return {"refused": refused, "fine": fine}


def pattern(kc, cf):
    run(kc, "x = 41")
    results = {}
    for name, code in {
        "find": 'string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")',
        "match": 'string.match(string.rep("a", 40), string.rep("a*", 40) .. "b")',
        "gsub": 'string.gsub(string.rep("a", 40), string.rep("a*", 40) .. "b", "")',
        "gmatch": 'for _ in string.gmatch(string.rep("a", 40), string.rep("a*", 40) .. "b") do end',
    }.items():
        msg_id = kc.execute(code)
        time.sleep(0.3)
        started = time.monotonic()
        control_request(kc, "interrupt_request")
        reply = reply_for(kc.get_shell_msg, msg_id, timeout=10)
        jupyter_driver.until_idle(kc, msg_id)
        results[name] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename"),
                         "seconds": round(time.monotonic() - started, 2)}
    legit_survives(kc)
    return results


def introspection(kc, cf):
    run(kc, "x = 41")
    run(kc, "t = setmetatable({}, {__tostring = function() while true do end end, __name = 'loop'})\n"
            "u = setmetatable({}, {__index = function() while true do end end})\n"
            "k = {} k[t] = 1")
    out = {}
    for name, request in {
        "inspect_t": lambda: kc.inspect("t", 1, detail_level=1),
        "inspect_k": lambda: kc.inspect("k", 1, detail_level=1),
        "complete_u": lambda: kc.complete("u.", 2),
        "complete_k": lambda: kc.complete("k.", 2),
    }.items():
        started = time.monotonic()
        reply = reply_for(kc.get_shell_msg, request(), timeout=10)
        out[name] = {"status": reply["content"]["status"], "seconds": round(time.monotonic() - started, 2)}
    legit_survives(kc)
    return out


def tmpname(kc, cf):
    run(kc, "x = 41")
    name = run(kc, "n = os.tmpname() return n")
    handle = run(kc, "local f = io.tmpfile() if f then f:write('x') f:close() end return tostring(f ~= nil)")
    legit_survives(kc)
    return {"tmpname": name, "tmpfile": handle}


def getenv(kc, cf, *names):
    run(kc, "x = 41")
    values = {n: run(kc, "return tostring(os.getenv(%s))" % json.dumps(n))["result"] for n in names}
    legit_survives(kc)
    return {"values": values}


SCENARIOS = {"bad_date": bad_date, "duplicate_keys": duplicate_keys, "forged_log": forged_log, "history": history,
             "finalizer": finalizer, "pattern": pattern, "introspection": introspection, "tmpname": tmpname,
             "getenv": getenv}


def main(cf, scenario, *args):
    kc = connect(cf)
    try:
        return SCENARIOS[scenario](kc, cf, *args)
    finally:
        kc.stop_channels()


if __name__ == "__main__":
    jupyter_driver.run_script(main, *sys.argv[1:])
