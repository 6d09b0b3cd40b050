// Direct side of the TTFT benchmark: N sequential streamed chat completions with the official OpenAI SDK (npm).
// Usage: node sdk_stream.mjs BASE_URL N. Prints "S" before each call, "T" on its first content chunk, "E" after the
// stream ends (the harness timestamps the lines).
// OPENAI_SDK: file URL of node_modules/openai/index.mjs (run.sh sets it; ESM ignores NODE_PATH).
const { default: OpenAI } = await import(process.env.OPENAI_SDK ?? "openai");

const [baseURL, n] = [process.argv[2], Number(process.argv[3])];
const client = new OpenAI({ baseURL, apiKey: process.env.OPENAI_API_KEY ?? "sk-bench", maxRetries: 0 });
const out = (s) => process.stdout.write(s + "\n");
for (let i = 0; i < n; i++) {
  out("S");
  const stream = await client.chat.completions.create({
    model: "bench", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true },
  });
  let first = true, text = "";
  for await (const chunk of stream) {
    const c = chunk.choices[0]?.delta?.content;
    if (c) { if (first) { out("T"); first = false; } text += c; }
  }
  out("E " + text.length);
}
