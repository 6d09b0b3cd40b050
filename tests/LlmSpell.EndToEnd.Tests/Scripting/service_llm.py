"""jupyter_client against the default kernel of a running service: an agent call streams, a stalled stream is
interrupted (control channel) within a second, the kernel serves the next cell. Prints one JSON line."""
import sys
import threading
import time

import jupyter_driver as d


def main(cf):
    kc = d.connect(cf)
    out = {}
    d.execute(kc, 'agent = Agent.builder():model("openai/gpt-test"):build()')
    msg_id = kc.execute('agent:stream("[[slow 150]] from the service")')
    reply = d.reply_for(kc.get_shell_msg, msg_id)
    iopub = []
    while not iopub or iopub[-1]["msg_type"] != "status" or iopub[-1]["content"]["execution_state"] != "idle":
        m = kc.get_iopub_msg(timeout=d.TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            iopub.append(m)
    chunks = [m for m in iopub if m["msg_type"] == "stream"]
    out["stream"] = d.stream(iopub)
    out["stream_status"] = reply["content"]["status"]
    out["stream_messages"] = len(chunks)
    # Streamed as it arrived: every chunk was sent before the reply.
    out["streamed_before_reply"] = bool(chunks) and all(m["header"]["date"] <= reply["header"]["date"] for m in chunks)
    # The next call sends its first chunk, then waits 10 s for each further one: interrupt it mid-stream.
    msg_id = kc.execute('agent:stream("[[slow 10000]] a b c d e f", function(c) io.write(c.text) end)')
    time.sleep(0.8)
    started = time.monotonic()
    d.control_request(kc, "interrupt_request")
    reply = d.reply_for(kc.get_shell_msg, msg_id)
    out["interrupt_seconds"] = time.monotonic() - started
    out["interrupted"] = reply["content"]
    d.until_idle(kc, msg_id)
    out["after"] = d.outcome(kc, 'agent:execute("still alive").text')
    out["getenv"] = d.outcome(kc, 'tostring(os.getenv("OPENAI_API_KEY"))')
    return out


if __name__ == "__main__":
    d.run_script(main, *sys.argv[1:])
