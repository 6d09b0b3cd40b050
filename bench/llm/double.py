#!/usr/bin/python3
"""OpenAI chat-completions provider double for the LLM-call benchmark (stdlib only, asyncio, loopback).

Usage: double.py --port P [--latency-ms 20] [--chunks 5] [--chunk-gap-ms 0] [--port-file F]

POST /v1/chat/completions: waits --latency-ms before the first byte of the response, then answers
  * stream=true: `text/event-stream` (chunked transfer encoding, keep-alive): a role chunk, --chunks content chunks,
    a finish chunk, a usage chunk when stream_options.include_usage, `data: [DONE]` (wire format of
    tests/LlmSpell.ProviderDoubles/OpenAI/OpenAIReplyRenderer.cs);
  * otherwise a `chat.completion` JSON object with `usage`.
GET /v1/models: a model list. GET /stats: {"requests", "in_flight", "max_in_flight"} (POST /stats/reset zeroes them).
One event loop, so 100+ concurrent connections cost a coroutine each; the latency is an asyncio.sleep.
"""
import argparse, asyncio, json, time

STATS = {"requests": 0, "in_flight": 0, "max_in_flight": 0}
FP = "fp_provider_double"


def usage(prompt, completion):
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}


def dumps(o):
    return json.dumps(o, separators=(",", ":"))


async def read_request(reader):
    line = await reader.readline()
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers = {}
    while True:
        h = await reader.readline()
        if h in (b"\r\n", b"\n", b""):
            break
        k, _, v = h.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readline()
    return method, target, headers, body


def head(status, ctype, extra=""):
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "OK")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: {ctype}\r\nx-request-id: req_{STATS['requests']}\r\n"
            f"{extra}\r\n").encode()


async def send_json(writer, status, obj):
    b = dumps(obj).encode()
    writer.write(head(status, "application/json", f"content-length: {len(b)}\r\n") + b)
    await writer.drain()


async def chat(writer, body, args):
    req = json.loads(body or b"{}")
    model = req.get("model", "bench")
    stream = req.get("stream") is True
    include_usage = stream and bool((req.get("stream_options") or {}).get("include_usage"))
    words = [f"w{i} " for i in range(args.chunks)]
    cid, created = f"chatcmpl-{STATS['requests']}", int(time.time())
    STATS["in_flight"] += 1
    STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
    try:
        await asyncio.sleep(args.latency_ms / 1000)
        if not stream:
            await send_json(writer, 200, {
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(words), "refusal": None,
                                                     "annotations": []}, "logprobs": None, "finish_reason": "stop"}],
                "usage": usage(8, args.chunks), "service_tier": "default", "system_fingerprint": FP})
            return

        def chunk(choices, **extra):
            c = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                 "service_tier": "default", "system_fingerprint": FP, "choices": choices}
            if include_usage:
                c["usage"] = None
            c.update(extra)
            return f"data: {dumps(c)}\n\n"

        def delta(d, finish=None):
            return chunk([{"index": 0, "delta": d, "logprobs": None, "finish_reason": finish}])

        def frame(s):
            b = s.encode()
            return f"{len(b):x}\r\n".encode() + b + b"\r\n"

        writer.write(head(200, "text/event-stream; charset=utf-8", "transfer-encoding: chunked\r\ncache-control: no-cache\r\n"))
        events = [delta({"role": "assistant", "content": "", "refusal": None})]
        events += [delta({"content": w}) for w in words]
        events.append(delta({}, "stop"))
        if include_usage:
            events.append(chunk([], usage=usage(8, args.chunks)))
        events.append("data: [DONE]\n\n")
        for i, e in enumerate(events):
            writer.write(frame(e))
            await writer.drain()
            if args.chunk_gap_ms and 0 < i < len(events) - 1:
                await asyncio.sleep(args.chunk_gap_ms / 1000)
        writer.write(b"0\r\n\r\n")
        await writer.drain()
    finally:
        STATS["in_flight"] -= 1


async def handle(reader, writer, args):
    try:
        while True:
            r = await read_request(reader)
            if r is None:
                break
            method, target, headers, body = r
            path = target.split("?")[0]
            if method == "POST" and path.endswith("/chat/completions"):
                STATS["requests"] += 1
                await chat(writer, body, args)
            elif path.endswith("/models"):
                await send_json(writer, 200, {"object": "list", "data": [
                    {"id": "bench", "object": "model", "created": 1721172741, "owned_by": "system"}]})
            elif path == "/stats" and method == "POST":
                STATS.update(requests=0, max_in_flight=STATS["in_flight"])
                await send_json(writer, 200, STATS)
            elif path == "/stats":
                await send_json(writer, 200, STATS)
            else:
                await send_json(writer, 404, {"error": {"message": "not found", "type": "invalid_request_error",
                                                        "param": None, "code": None}})
            if headers.get("connection", "").lower() == "close":
                break
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--latency-ms", type=float, default=20)
    p.add_argument("--chunks", type=int, default=5)
    p.add_argument("--chunk-gap-ms", type=float, default=0)
    p.add_argument("--port-file")
    args = p.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args), "127.0.0.1", args.port, backlog=512)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(port))
        import os
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"double listening on 127.0.0.1:{port} latency {args.latency_ms} ms", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
