// Times @huggingface/gguf's gguf() on one local file and prints the median in ms (one JSON line).
// Usage: node bench.mjs <file.gguf> [runs]
import { gguf } from "@huggingface/gguf";
import { performance } from "node:perf_hooks";
import path from "node:path";

const file = path.resolve(process.argv[2] ?? "");
const runs = Number(process.argv[3] ?? 10);
if (!process.argv[2] || !(runs > 0)) {
  console.error("usage: node bench.mjs <file.gguf> [runs]");
  process.exit(2);
}

// allowLocalFile reads the file from disk; the whole header is parsed, big arrays included.
const parse = () => gguf(file, { allowLocalFile: true });
await parse(); // warm-up: JIT and file cache
const times = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const { metadata } = await parse();
  times.push(performance.now() - start);
  if (!metadata["tokenizer.ggml.tokens"]) throw new Error("tokens not parsed");
}
times.sort((a, b) => a - b);
const median = runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
console.log(JSON.stringify({ parser: "@huggingface/gguf", file, runs, medianMs: median, minMs: times[0], maxMs: times[runs - 1] }));
