// Reference for the workflow benchmark: N concurrent non-streamed chat completions (Promise.all) with the OpenAI SDK,
// ROUNDS+1 times (round 0 is the warm-up). Prints "READY", waits for a stdin line, then "W ok <ms>".
// OPENAI_SDK: file URL of node_modules/openai/index.mjs (run.sh sets it; ESM ignores NODE_PATH).
const { default: OpenAI } = await import(process.env.OPENAI_SDK ?? "openai");
import readline from "node:readline";

const [baseURL, n, rounds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const client = new OpenAI({ baseURL, apiKey: process.env.OPENAI_API_KEY ?? "sk-bench", maxRetries: 0, timeout: 30000 });
const rl = readline.createInterface({ input: process.stdin });
const lines = rl[Symbol.asyncIterator]();
for (let r = 0; r <= rounds; r++) {
  process.stdout.write("READY\n");
  await lines.next();
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: n }, () =>
    client.chat.completions.create({ model: "bench", messages: [{ role: "user", content: "hi" }] })));
  const ok = results.every((c) => c.choices[0].message.content.length > 0);
  process.stdout.write(`W ${ok ? "ok" : "bad"} ${(performance.now() - t0).toFixed(1)}\n`);
}
rl.close();
