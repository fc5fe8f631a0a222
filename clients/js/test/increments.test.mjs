// Tests of the JavaScript applier, with node's own test runner (`node --test clients/js/test/`).
// They apply the golden increments committed in the packaging module, and, when PACKLINE_JS_CASES
// names a directory (the packaging module's JsClientTest sets it), every case the Java maker made
// there: {"cases": [{"kind", "old", "patch", "expected"}]} with paths relative to that directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyBsdiffGz, applyChunk, applyOfflinePatch, IncrementError, readZip } from '../packline-increments.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, '..', '..', '..', 'packaging', 'src', 'test', 'resources', 'dev', 'packline', 'packaging');
const read = (...parts) => new Uint8Array(readFileSync(join(...parts)));
const text = (...parts) => readFileSync(join(...parts), 'utf8');

async function applyCase(kind, oldPath, patchPath) {
  if (kind === 'chunk') return new TextEncoder().encode(await applyChunk(text(oldPath), text(patchPath)));
  if (kind === 'bsdiff-gz') return applyBsdiffGz(read(oldPath), read(patchPath));
  const result = await applyOfflinePatch(await readZip(read(oldPath)), read(patchPath));
  return result;
}

async function assertSamePackage(result, expectedZip) {
  const expected = await readZip(expectedZip);
  assert.deepEqual([...result.keys()].sort(), [...expected.keys()].sort());
  for (const [path, bytes] of expected) assert.deepEqual(result.get(path), bytes, path);
}

for (const chunkSize of [4, 12]) {
  test(`golden chunk increment, ${chunkSize}-character chunks`, async () => {
    const rebuilt = await applyChunk(text(golden, 'increment/golden/old.js'), text(golden, `increment/golden/chunk-${chunkSize}.json`));
    assert.equal(rebuilt, text(golden, 'increment/golden/new.js'));
  });
}

test('golden bsdiff-gz increment', async () => {
  const rebuilt = await applyBsdiffGz(read(golden, 'increment/golden/old.js'), read(golden, 'increment/golden/bsdiff-gz.bin'));
  assert.deepEqual(rebuilt, read(golden, 'increment/golden/new.js'));
});

test('golden offline patch, the old package read from its deflated zip', async () => {
  const result = await applyOfflinePatch(await readZip(read(golden, 'offline/golden/news-1.0.0.zip')),
    read(golden, 'offline/golden/news-1.0.0-to-1.1.0.patch'));
  await assertSamePackage(result, read(golden, 'offline/golden/news-1.1.0.zip'));
});

test('a patch for another base is refused', async () => {
  const wrongText = applyChunk('var x=1;', text(golden, 'increment/golden/chunk-12.json'));
  await assert.rejects(wrongText, (e) => e instanceof IncrementError && e.code === 'wrong-base');
  const wrongBytes = applyBsdiffGz(new Uint8Array([1, 2, 3]), read(golden, 'increment/golden/bsdiff-gz.bin'));
  await assert.rejects(wrongBytes, (e) => e.code === 'wrong-base');
  const newer = await readZip(read(golden, 'offline/golden/news-1.1.0.zip'));
  await assert.rejects(applyOfflinePatch(newer, read(golden, 'offline/golden/news-1.0.0-to-1.1.0.patch')), (e) => e.code === 'wrong-base');
});

test('corrupt increments are refused', async () => {
  const chunk = text(golden, 'increment/golden/chunk-12.json');
  const old = text(golden, 'increment/golden/old.js');
  await assert.rejects(applyChunk(old, chunk.replace('[11,18]', '[11,20]')), (e) => e.code === 'corrupt');
  await assert.rejects(applyChunk(old, chunk.replace('"nu', '"NU')), (e) => e.code === 'mismatch');
  await assert.rejects(applyChunk(old, '{"format":'), (e) => e.code === 'corrupt');
  const patch = read(golden, 'increment/golden/bsdiff-gz.bin').slice();
  patch[41] ^= 1;
  await assert.rejects(applyBsdiffGz(read(golden, 'increment/golden/old.js'), patch), (e) => e.code === 'mismatch');
  await assert.rejects(applyBsdiffGz(read(golden, 'increment/golden/old.js'), patch.subarray(0, 120)), (e) => e.code === 'corrupt');
});

const casesDir = process.env.PACKLINE_JS_CASES;
if (casesDir) {
  const { cases } = JSON.parse(text(casesDir, 'cases.json'));
  for (const c of cases) {
    test(`Java-made ${c.kind} case ${c.patch}`, async () => {
      const result = await applyCase(c.kind, join(casesDir, c.old), join(casesDir, c.patch));
      if (c.kind === 'offline') await assertSamePackage(result, read(casesDir, c.expected));
      else assert.deepEqual(result, read(casesDir, c.expected));
    });
  }
}
