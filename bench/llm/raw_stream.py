#!/usr/bin/python3
"""Floor reference for the TTFT benchmark: N sequential streamed chat completions over one keep-alive
http.client connection, no SDK (reads the SSE lines itself). Usage: raw_stream.py PORT N. Prints S / T / E like
the other sides."""
import http.client, json, sys

port, n = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port)
body = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "hi"}], "stream": True,
                   "stream_options": {"include_usage": True}})
out = sys.stdout.buffer
for _ in range(n):
    out.write(b"S\n"); out.flush()
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json",
                                                        "Authorization": "Bearer sk-bench"})
    resp, first, text = conn.getresponse(), True, ""
    while True:
        line = resp.readline()
        if not line.startswith(b"data: "):
            if not line:
                break
            continue
        data = line[6:].strip()
        if data == b"[DONE]":
            resp.read()
            break
        choices = json.loads(data)["choices"]
        c = choices[0]["delta"].get("content") if choices else None
        if c:
            if first:
                out.write(b"T\n"); out.flush(); first = False
            text += c
    out.write(b"E %d\n" % len(text)); out.flush()
