// Drives the provider double with the official OpenAI SDK (chat completions). Order matters: the C# test queues a 429
// for the first chat request and a drop after 3 chunks for the second.
import { load, baseUrl, apiKey, check, expectError, describeError, finish } from './harness.mjs';

const { OpenAI, RateLimitError, AuthenticationError } = load('openai');
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0, timeout: 20000 });
const model = 'gpt-4o-mini';
const tools = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', description: 'Time in a zone', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
];

const describeApiError = (e) => ({
  ...describeError(e),
  isRateLimitError: e instanceof RateLimitError,
  isAuthenticationError: e instanceof AuthenticationError,
  retryAfter: e?.headers?.get?.('retry-after') ?? null,
  type: e?.type ?? null,
  code: e?.code ?? null,
  apiMessage: e?.error?.message ?? null,
});

await check('rateLimited', () =>
  expectError(() => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }), describeApiError));

await check('dropped', async () => {
  let text = '';
  const error = await expectError(async () => {
    const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'cut this stream short' }] });
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  });
  return { ...error, text };
});

await check('wrongKey', () => {
  const wrong = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'wrong-key', maxRetries: 0 });
  return expectError(() => wrong.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }), describeApiError);
});

await check('plain', async () => {
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Hello there' }],
  });
  return {
    object: completion.object,
    model: completion.model,
    content: completion.choices[0].message.content,
    role: completion.choices[0].message.role,
    finishReason: completion.choices[0].finish_reason,
    usage: completion.usage,
  };
});

await check('stream', async () => {
  const stream = await client.chat.completions.create({
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'stream these four words' }],
  });
  let text = '';
  let contentChunks = 0;
  let finishReason = null;
  let usage = null;
  let lastChoices = null;
  for await (const chunk of stream) {
    lastChoices = chunk.choices.length;
    for (const choice of chunk.choices) {
      if (choice.delta?.content) { text += choice.delta.content; contentChunks++; }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, contentChunks, finishReason, usage, lastChunkChoices: lastChoices };
});

await check('tools', async () => {
  const messages = [{ role: 'user', content: 'Weather and time? [[call get_weather {"city":"Paris"}]] [[call get_time {"zone":"CET"}]]' }];
  const first = await client.chat.completions.create({ model, messages, tools });
  const message = first.choices[0].message;
  const calls = message.tool_calls ?? [];
  const results = { get_weather: '18C sunny', get_time: '14:05' };
  messages.push(message);
  for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: results[call.function.name] });
  const second = await client.chat.completions.create({ model, messages, tools });
  return {
    finishReason: first.choices[0].finish_reason,
    content: message.content,
    calls: calls.map((call) => ({ id: call.id, type: call.type, name: call.function.name, arguments: JSON.parse(call.function.arguments) })),
    finalText: second.choices[0].message.content,
    finalFinishReason: second.choices[0].finish_reason,
  };
});

await check('toolsStreamed', async () => {
  const messages = [{ role: 'user', content: '[[call get_weather {"city":"Paris, France","unit":"celsius"}]]' }];
  const fragments = [];
  const runner = client.chat.completions.stream({ model, messages, tools, stream: true });
  runner.on('chunk', (chunk) => {
    for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) {
      if (call.function?.arguments) fragments.push(call.function.arguments);
    }
  });
  const completion = await runner.finalChatCompletion();
  const message = completion.choices[0].message;
  const call = message.tool_calls[0];
  messages.push({ role: 'assistant', content: null, tool_calls: message.tool_calls });
  messages.push({ role: 'tool', tool_call_id: call.id, content: 'mild' });
  const final = await client.chat.completions.stream({ model, messages, tools, stream: true }).finalChatCompletion();
  return {
    finishReason: completion.choices[0].finish_reason,
    id: call.id,
    name: call.function.name,
    arguments: JSON.parse(call.function.arguments),
    fragments,
    finalText: final.choices[0].message.content,
  };
});

await check('maxTokens', async () => {
  const completion = await client.chat.completions.create({
    model,
    max_completion_tokens: 2,
    messages: [{ role: 'user', content: '[[reply one two three four]]' }],
  });
  return { content: completion.choices[0].message.content, finishReason: completion.choices[0].finish_reason, usage: completion.usage };
});

await check('models', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  return { ids };
});

finish();
