// Drives the provider double with the official Anthropic SDK (Messages API). Order matters: the C# test queues a 429,
// a 529 and a drop after 5 events for the first three chat requests.
import { load, baseUrl, apiKey, check, expectError, describeError, finish } from './harness.mjs';

const { Anthropic, RateLimitError, OverloadedError, AuthenticationError } = load('@anthropic-ai/sdk');
const client = new Anthropic({ baseURL: baseUrl, apiKey, maxRetries: 0, timeout: 20000 });
const model = 'claude-haiku-4-5';
const tools = [
  { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', description: 'Time in a zone', input_schema: { type: 'object', properties: { zone: { type: 'string' } } } },
];

const describeApiError = (e) => ({
  ...describeError(e),
  isRateLimitError: e instanceof RateLimitError,
  isOverloadedError: e instanceof OverloadedError,
  isAuthenticationError: e instanceof AuthenticationError,
  retryAfter: e?.headers?.get?.('retry-after') ?? null,
  requestId: e?.requestID ?? null,
  bodyRequestId: e?.error?.request_id ?? null,
  errorType: e?.error?.error?.type ?? null,
  apiMessage: e?.error?.error?.message ?? null,
});
const hi = { model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

await check('rateLimited', () => expectError(() => client.messages.create(hi), describeApiError));
await check('overloaded', () => expectError(() => client.messages.create(hi), describeApiError));

await check('dropped', async () => {
  let text = '';
  const error = await expectError(async () => {
    const stream = client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'cut this stream short' }] });
    stream.on('text', (delta) => { text += delta; });
    await stream.finalMessage();
  });
  return { ...error, text };
});

await check('wrongKey', () => {
  const wrong = new Anthropic({ baseURL: baseUrl, apiKey: 'wrong-key', maxRetries: 0 });
  return expectError(() => wrong.messages.create(hi), describeApiError);
});

await check('plain', async () => {
  const message = await client.messages.create({
    model,
    max_tokens: 64,
    system: 'You are terse.',
    messages: [{ role: 'user', content: 'Hello there' }],
  });
  return { type: message.type, role: message.role, model: message.model, content: message.content, stopReason: message.stop_reason, usage: message.usage };
});

await check('stream', async () => {
  const stream = await client.messages.create({
    model,
    max_tokens: 64,
    stream: true,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'stream these four words' }] }],
  });
  const events = [];
  let text = '';
  let inputTokens = null;
  let outputTokens = null;
  let stopReason = null;
  for await (const event of stream) {
    events.push(event.type);
    if (event.type === 'message_start') inputTokens = event.message.usage.input_tokens;
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    if (event.type === 'message_delta') { outputTokens = event.usage.output_tokens; stopReason = event.delta.stop_reason; }
  }
  const helper = await client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'stream these four words' }] }).finalMessage();
  return { events, text, inputTokens, outputTokens, stopReason, helperText: helper.content[0]?.text, helperUsage: helper.usage };
});

await check('tools', async () => {
  const messages = [{ role: 'user', content: 'Weather and time? [[call get_weather {"city":"Paris"}]] [[call get_time {"zone":"CET"}]]' }];
  const first = await client.messages.create({ model, max_tokens: 256, messages, tools });
  const uses = first.content.filter((block) => block.type === 'tool_use');
  const results = { get_weather: '18C sunny', get_time: '14:05' };
  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: uses.map((use) => ({ type: 'tool_result', tool_use_id: use.id, content: results[use.name] })) });
  const second = await client.messages.create({ model, max_tokens: 256, messages, tools });
  return {
    stopReason: first.stop_reason,
    calls: uses.map((use) => ({ id: use.id, name: use.name, input: use.input })),
    finalText: second.content[0]?.text,
    finalStopReason: second.stop_reason,
  };
});

await check('toolsStreamed', async () => {
  const messages = [{ role: 'user', content: '[[call get_weather {"city":"Paris, France","unit":"celsius"}]]' }];
  const fragments = [];
  const stream = client.messages.stream({ model, max_tokens: 256, messages, tools });
  stream.on('inputJson', (partial) => fragments.push(partial));
  const first = await stream.finalMessage();
  const use = first.content.find((block) => block.type === 'tool_use');
  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: 'mild' }] }] });
  const final = await client.messages.stream({ model, max_tokens: 256, messages, tools }).finalMessage();
  return { stopReason: first.stop_reason, id: use.id, name: use.name, input: use.input, fragments, finalText: final.content[0]?.text };
});

await check('maxTokens', async () => {
  const message = await client.messages.create({ model, max_tokens: 2, messages: [{ role: 'user', content: '[[reply one two three four]]' }] });
  return { text: message.content[0]?.text, stopReason: message.stop_reason, usage: message.usage };
});

await check('models', async () => {
  const models = [];
  for await (const model of client.models.list()) models.push({ type: model.type, id: model.id, displayName: model.display_name });
  return { models };
});

finish();
