// Drives the real openai-node client against one OpenAI-compatible surface of the application: argv[2] is the
// surface's base address (the client adds nothing; /v1 is appended here), argv[3] the chat model's name on that
// surface, argv[4] the RunnerAgent's base address (to see leases), argv[5] "retrieve" where GET /v1/models/{id}
// exists. Prints one JSON report and exits 0 when every call behaved as against OpenAI. The C# test asserts on it.
import OpenAI from 'openai';

const [, , base, chatModel, agent, retrieve] = process.argv;
const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'not-needed', maxRetries: 0 });
const report = {};
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };
const messages = [{ role: 'user', content: 'hi' }];

async function step(name, fn) {
  try { report[name] = { ok: true, ...(await fn()) }; }
  catch (e) { report[name] = { ok: false, error: String(e?.message ?? e) }; }
}

async function inFlight() {
  const runners = await (await fetch(`${agent}/runners`)).json();
  return runners.filter(r => r.model === 'tiny-chat').reduce((sum, r) => sum + r.inFlight, 0);
}

async function waitUntil(condition, ms) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return true;
}

let reference;
await step('modelsList', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    // LM Studio leaves `created` out of its list; the client copes, so only its type is checked when present.
    check(model.object === 'model' && typeof model.owned_by === 'string' && (model.created === undefined || Number.isInteger(model.created)), `model shape of ${model.id}`);
    ids.push(model.id);
  }
  check(ids.includes(chatModel), `${chatModel} listed`);
  return { ids };
});
await step('modelsRetrieve', async () => {
  // LM Studio has no GET /v1/models/{id}; the OpenAI port and Ollama's /v1 do.
  if (retrieve !== 'retrieve') return { skipped: true };
  const model = await client.models.retrieve(chatModel);
  check(model.id === chatModel && model.object === 'model' && typeof model.owned_by === 'string', `retrieved ${JSON.stringify(model)}`);
  return { id: model.id };
});
await step('chat', async () => {
  const r = await client.chat.completions.create({ model: chatModel, messages, max_tokens: 8, temperature: 0, seed: 1 });
  const choice = r.choices[0];
  check(r.object === 'chat.completion' && typeof r.id === 'string' && r.model === chatModel, 'completion envelope');
  check(choice.message.role === 'assistant' && typeof choice.message.content === 'string', 'assistant message');
  check(['stop', 'length'].includes(choice.finish_reason), `finish_reason ${choice.finish_reason}`);
  // Random weights may end a reply early at end-of-sequence, so the count is a ceiling, not a promise.
  check(r.usage.completion_tokens >= 1 && r.usage.completion_tokens <= 8 && r.usage.prompt_tokens > 0, 'usage');
  check(r.usage.total_tokens === r.usage.prompt_tokens + r.usage.completion_tokens, 'usage total');
  reference = { content: choice.message.content, tokens: r.usage.completion_tokens };
  return { finish_reason: choice.finish_reason };
});
await step('chatStream', async () => {
  const stream = await client.chat.completions.create({
    model: chatModel, messages, max_tokens: 8, temperature: 0, seed: 1, stream: true, stream_options: { include_usage: true },
  });
  let text = '', chunks = 0, usage = null, finish = null, afterUsage = 0;
  for await (const chunk of stream) {
    chunks++;
    if (usage) afterUsage++;
    check(chunk.object === 'chat.completion.chunk' && chunk.model === chatModel, 'chunk envelope');
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish ??= choice.finish_reason;
    }
    if (chunk.usage) { usage = chunk.usage; check(chunk.choices.length === 0, 'the usage chunk has no choices'); }
  }
  check(usage && afterUsage === 0, 'usage arrives in the last chunk');
  check(usage.completion_tokens >= 1 && usage.prompt_tokens > 0, 'stream usage');
  check(['stop', 'length'].includes(finish), `finish_reason ${finish}`);
  // Greedy decoding of the same prompt: the deltas concatenate to the non-stream answer.
  check(text === reference.content && usage.completion_tokens === reference.tokens, `deltas ${JSON.stringify(text)} vs ${JSON.stringify(reference.content)}`);
  return { chunks };
});
await step('chatStreamHelper', async () => {
  // The client's stream helper assembles the reply and refuses a choice without a role. With this seed the first
  // token is part of a multi-byte character, and llama-server sends no role chunk of its own.
  const stream = client.chat.completions.stream({ model: chatModel, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5, seed: 2 });
  const final = await stream.finalChatCompletion();
  const message = final.choices[0].message;
  check(message.role === 'assistant' && typeof message.content === 'string', `assembled ${JSON.stringify(message)}`);
  return { content: message.content };
});
await step('completions', async () => {
  const r = await client.completions.create({ model: chatModel, prompt: 'Once', max_tokens: 4, temperature: 0 });
  check(r.object === 'text_completion' && r.model === chatModel, 'completion envelope');
  check(typeof r.choices[0].text === 'string' && ['stop', 'length'].includes(r.choices[0].finish_reason), 'choice');
  check(r.usage.completion_tokens >= 1 && r.usage.completion_tokens <= 4, 'usage');
  return { text: r.choices[0].text };
});
await step('completionsStream', async () => {
  let chunks = 0, text = '';
  for await (const chunk of await client.completions.create({ model: chatModel, prompt: 'Once', max_tokens: 6, stream: true })) {
    chunks++;
    text += chunk.choices[0]?.text ?? '';
  }
  check(chunks > 1, 'more than one chunk');
  return { chunks };
});
await step('embeddings', async () => {
  // Without encoding_format the client asks for base64 and decodes the floats itself.
  const r = await client.embeddings.create({ model: 'tiny-embed', input: ['a', 'b'] });
  check(r.object === 'list' && r.data.length === 2 && r.data.every((d, i) => d.index === i && d.object === 'embedding'), 'two embeddings');
  const dims = r.data[0].embedding.length;
  check(dims > 0 && r.data.every(d => d.embedding.length === dims && d.embedding.every(Number.isFinite)), 'float vectors');
  const floats = await client.embeddings.create({ model: 'tiny-embed', input: 'a', encoding_format: 'float' });
  check(floats.data[0].embedding.every((x, i) => Math.abs(x - r.data[0].embedding[i]) < 1e-6), 'base64 and float agree');
  return { dims };
});
await step('abort', async () => {
  // Greedy from 'hi' runs past 8 tokens (the chat step saw it), so the abort at the third chunk comes before any end.
  const stream = await client.chat.completions.create({ model: chatModel, messages, max_tokens: 100000, temperature: 0, stream: true });
  let chunks = 0, abortedAt = 0, ended, finish = null;
  try {
    for await (const chunk of stream) {
      finish ??= chunk.choices[0]?.finish_reason;
      if (++chunks === 3) { check(await inFlight() === 1, 'one lease while streaming'); abortedAt = Date.now(); stream.controller.abort(); }
    }
    ended = 'the loop ended';
  }
  catch (e) { ended = `${e?.constructor?.name}: ${e?.message}`; }
  check(abortedAt > 0, `the stream ended after ${chunks} chunks (${ended}, finish_reason ${finish}) before the abort`);
  const endedAfter = Date.now() - abortedAt;
  check(endedAfter < 2000, `the stream ended ${endedAfter} ms after the abort`);
  check(await waitUntil(async () => await inFlight() === 0, 10000), 'the runner\'s lease was released');
  return { chunks, ended, endedAfter };
});
await step('unknownModel', async () => {
  try { await client.chat.completions.create({ model: 'no-such-model', messages }); }
  catch (e) {
    check(e instanceof OpenAI.APIError && e.status >= 400 && e.status < 500, `a 4xx APIError, got ${e?.constructor?.name} ${e?.status}`);
    check(/no-such-model/.test(e.message), `the message names the model: ${e.message}`);
    return { status: e.status, type: e.constructor.name, message: e.message };
  }
  throw new Error('no error for an unknown model');
});

console.log(JSON.stringify(report));
process.exit(Object.values(report).every(r => r.ok) ? 0 : 1);
