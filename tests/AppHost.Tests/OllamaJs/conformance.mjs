// Drives the real ollama-js client against the Ollama port given as argv[2]; prints one JSON report and exits 0 when
// every call behaved as against Ollama. The C# test asserts on the report.
import { Ollama } from 'ollama';

const host = process.argv[2];
const ollama = new Ollama({ host });
const report = {};
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };

async function step(name, fn) {
  try { report[name] = { ok: true, ...(await fn()) }; }
  catch (e) { report[name] = { ok: false, error: String(e?.message ?? e) }; }
}

await step('version', async () => { const v = await ollama.version(); check(/^\d+\.\d+\.\d+$/.test(v.version), 'version'); return { version: v.version }; });
await step('list', async () => {
  const { models } = await ollama.list();
  check(models.some(m => m.name === 'tiny-chat:latest'), 'tiny-chat listed');
  check(models.every(m => /^[0-9a-f]{64}$/.test(m.digest) && Number.isInteger(m.size)), 'digests and sizes');
  return { names: models.map(m => m.name) };
});
await step('show', async () => {
  const s = await ollama.show({ model: 'tiny-chat' });
  check(s.details.format === 'gguf' && typeof s.model_info === 'object', 'show shape');
  return { capabilities: s.capabilities };
});
await step('chat', async () => {
  // Random weights may end a reply early at end-of-sequence, so the count is a ceiling, not a promise.
  const r = await ollama.chat({ model: 'tiny-chat', messages: [{ role: 'user', content: 'hi' }], options: { num_predict: 4, seed: 1 } });
  check(r.done && r.message.role === 'assistant' && r.eval_count >= 1 && r.eval_count <= 4, 'chat result');
  return { done_reason: r.done_reason };
});
await step('chatStream', async () => {
  let parts = 0, last;
  for await (const part of await ollama.chat({ model: 'tiny-chat', messages: [{ role: 'user', content: 'hi' }], stream: true, options: { num_predict: 8, seed: 1 } })) { parts++; last = part; }
  check(parts > 1 && last.done && last.eval_count >= 1 && last.eval_count <= 8, 'chat stream');
  return { parts };
});
await step('generate', async () => {
  const r = await ollama.generate({ model: 'tiny-chat', prompt: 'Once', options: { num_predict: 4 } });
  check(r.done && typeof r.response === 'string', 'generate');
  return {};
});
await step('generateStream', async () => {
  let parts = 0;
  for await (const part of await ollama.generate({ model: 'tiny-chat', prompt: 'Once', stream: true, options: { num_predict: 6 } })) parts++;
  check(parts > 1, 'generate stream');
  return { parts };
});
await step('embed', async () => {
  const r = await ollama.embed({ model: 'tiny-embed', input: ['a', 'b'] });
  check(r.embeddings.length === 2 && r.embeddings[0].length > 0, 'embed');
  return { dims: r.embeddings[0].length };
});
await step('embeddings', async () => {
  const r = await ollama.embeddings({ model: 'tiny-embed', prompt: 'a' });
  check(r.embedding.length > 0, 'embeddings');
  return {};
});
await step('ps', async () => {
  const r = await ollama.ps();
  check(Array.isArray(r.models) && r.models.length > 0, 'ps lists a loaded model');
  return { names: r.models.map(m => m.name) };
});
await step('pull', async () => {
  const r = await ollama.pull({ model: 'tiny-chat' });
  check(r.status === 'success', 'pull of a present model');
  return {};
});
await step('abort', async () => {
  const stream = await ollama.chat({ model: 'tiny-chat', messages: [{ role: 'user', content: 'go on' }], stream: true, options: { num_predict: 100000 } });
  let parts = 0, ended = null;
  try { for await (const _ of stream) { if (++parts === 3) stream.abort(); } ended = 'the loop ended'; }
  // Depending on timing ollama-js surfaces undici's AbortError or its own "Did not receive done" error: either way
  // the stream is over for the caller, which is what abort promises.
  catch (e) { ended = `${e?.name}: ${e?.message}`; }
  check(ended !== null && parts >= 3, 'abort ends the stream');
  check(parts < 1000, 'the stream stopped soon after the abort');
  return { parts, ended };
});
await step('unknownModel', async () => {
  try { await ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }); }
  catch (e) { check(e.status_code === 404 && /not found/.test(e.error), 'a 404 ResponseError'); return { error: e.error }; }
  throw new Error('no error for an unknown model');
});
await step('copy', async () => {
  const r = await ollama.copy({ source: 'tiny-chat', destination: 'my-copy' });
  check(r.status === 'success', 'copy answers success');
  const { models } = await ollama.list();
  const copy = models.find(m => m.name === 'my-copy:latest');
  const original = models.find(m => m.name === 'tiny-chat:latest');
  check(copy && copy.digest === original.digest && copy.size === original.size, 'the copy is listed with the original\'s digest and size');
  const chat = await ollama.chat({ model: 'my-copy', messages: [{ role: 'user', content: 'hi' }], options: { num_predict: 2, seed: 1 } });
  check(chat.done && chat.model === 'my-copy', 'the copy chats under its own name');
  return { listed: copy.name };
});
await step('delete', async () => {
  const r = await ollama.delete({ model: 'my-copy' });
  check(r.status === 'success', 'delete answers success');
  const { models } = await ollama.list();
  check(!models.some(m => m.name === 'my-copy:latest') && models.some(m => m.name === 'tiny-chat:latest'), 'the copy is gone, the original stays');
  try { await ollama.delete({ model: 'tiny-chat' }); }
  catch (e) { check(e.status_code === 403 && /switched off/.test(e.error), 'deleting a model file is refused while switched off'); return { refused: e.error }; }
  throw new Error('deleting a model file was not refused');
});

console.log(JSON.stringify(report));
process.exit(Object.values(report).every(r => r.ok) ? 0 : 1);
