// Drives the provider double with the official Ollama JavaScript library (/api/chat, /api/tags). Order matters: the
// C# test queues a 429 for the first chat request and a drop after 2 lines for the second.
import { load, baseUrl, apiKey, check, expectError, describeError, finish } from './harness.mjs';

const { Ollama } = load('ollama');
const client = new Ollama({ host: baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
const model = 'llama3.2';
const tools = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', description: 'Time in a zone', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
];
const describeResponseError = (e) => ({ ...describeError(e), error: e?.error ?? null, statusCode: e?.status_code ?? null });
const hi = { model, messages: [{ role: 'user', content: 'hi' }] };

await check('rateLimited', () => expectError(() => client.chat(hi), describeResponseError));

await check('dropped', async () => {
  let text = '';
  const error = await expectError(async () => {
    for await (const part of await client.chat({ model, stream: true, messages: [{ role: 'user', content: 'cut this stream short' }] })) {
      text += part.message?.content ?? '';
    }
  });
  return { ...error, text };
});

await check('wrongKey', () => {
  const wrong = new Ollama({ host: baseUrl, headers: { Authorization: 'Bearer wrong-key' } });
  return expectError(() => wrong.chat(hi), describeResponseError);
});

await check('plain', async () => {
  const response = await client.chat({
    model,
    stream: false,
    messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Hello there' }],
  });
  const { message, done, done_reason, prompt_eval_count, eval_count, total_duration } = response;
  return { model: response.model, message, done, doneReason: done_reason, promptEvalCount: prompt_eval_count, evalCount: eval_count, totalDuration: total_duration };
});

await check('stream', async () => {
  const parts = await client.chat({ model, stream: true, messages: [{ role: 'user', content: 'stream these four words' }] });
  let text = '';
  let contentParts = 0;
  let last = null;
  for await (const part of parts) {
    if (part.message?.content) { text += part.message.content; contentParts++; }
    last = part;
  }
  return { text, contentParts, done: last?.done, doneReason: last?.done_reason, promptEvalCount: last?.prompt_eval_count, evalCount: last?.eval_count };
});

const results = { get_weather: '18C sunny', get_time: '14:05' };

await check('tools', async () => {
  const messages = [{ role: 'user', content: 'Weather and time? [[call get_weather {"city":"Paris"}]] [[call get_time {"zone":"CET"}]]' }];
  const first = await client.chat({ model, stream: false, messages, tools });
  const calls = first.message.tool_calls ?? [];
  messages.push(first.message);
  for (const call of calls) messages.push({ role: 'tool', content: results[call.function.name], tool_name: call.function.name });
  const second = await client.chat({ model, stream: false, messages, tools });
  return {
    doneReason: first.done_reason,
    content: first.message.content,
    calls: calls.map((call) => ({ name: call.function.name, arguments: call.function.arguments })),
    finalText: second.message.content,
  };
});

await check('toolsStreamed', async () => {
  const messages = [{ role: 'user', content: '[[call get_weather {"city":"Paris, France","unit":"celsius"}]]' }];
  const calls = [];
  for await (const part of await client.chat({ model, stream: true, messages, tools })) calls.push(...(part.message?.tool_calls ?? []));
  messages.push({ role: 'assistant', content: '', tool_calls: calls });
  messages.push({ role: 'tool', content: 'mild', tool_name: calls[0]?.function?.name });
  let finalText = '';
  for await (const part of await client.chat({ model, stream: true, messages, tools })) finalText += part.message?.content ?? '';
  return { calls: calls.map((call) => ({ name: call.function.name, arguments: call.function.arguments })), finalText };
});

await check('maxTokens', async () => {
  const response = await client.chat({ model, stream: false, options: { num_predict: 2 }, messages: [{ role: 'user', content: '[[reply one two three four]]' }] });
  return { content: response.message.content, doneReason: response.done_reason, evalCount: response.eval_count };
});

await check('models', async () => {
  const list = await client.list();
  return { names: list.models.map((m) => m.name), families: list.models.map((m) => m.details?.family) };
});

finish();
