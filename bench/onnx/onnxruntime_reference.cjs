// The outside reference for `distillery-cli bench onnx`: runs an ONNX file on
// onnxruntime-node (npm) with the same inputs and thread count, and reports its
// times. Usage: node onnxruntime_reference.cjs ORT_NODE_MODULES MODEL INPUTS.json OUT_DIR THREADS REPEATS
// INPUTS.json: [{"name": ..., "dims": [...], "file": raw little-endian float32}].
// Writes OUT_DIR/<output name>.bin (float32) and prints {"times_ms": [...], "outputs": {...}}.
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const [modules, model, inputsJson, outDir, threads, repeats] = process.argv.slice(2);
  const ort = require(path.join(modules, 'onnxruntime-node'));
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads), interOpNumThreads: 1, executionMode: 'sequential',
  });
  const feeds = {};
  for (const input of JSON.parse(fs.readFileSync(inputsJson, 'utf8'))) {
    const bytes = fs.readFileSync(input.file);
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    feeds[input.name] = new ort.Tensor('float32', Float32Array.from(data), input.dims);
  }
  const times = [];
  let results;
  for (let i = 0; i < Number(repeats); ++i) {
    const t0 = process.hrtime.bigint();
    results = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const outputs = {};
  for (const [name, tensor] of Object.entries(results)) {
    fs.writeFileSync(path.join(outDir, name + '.bin'), Buffer.from(tensor.data.buffer));
    outputs[name] = tensor.dims;
  }
  console.log(JSON.stringify({ times_ms: times, outputs }));
}

main().catch((e) => { console.error(String(e)); process.exit(1); });
