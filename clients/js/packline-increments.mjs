// Packline's reference applier for JavaScript: chunk increments, bsdiff-gz increments and offline
// package patches (formats in docs/packaging.md). Plain JavaScript, no dependencies: it needs only
// what browsers and Node 20+ provide (TextEncoder, crypto.subtle, DecompressionStream, Response).
// Every apply checks the base first (a patch made for another base is refused), then the result's
// SHA-256, and returns nothing unless everything matches.

/** Why an increment could not be applied; `code` is 'wrong-base', 'corrupt' or 'mismatch'. */
export class IncrementError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'IncrementError';
    this.code = code;
  }
}

const utf8 = new TextEncoder();

/** Lowercase hex SHA-256 of bytes (a Uint8Array) or of a string's UTF-8. */
export async function sha256Hex(data) {
  const bytes = typeof data === 'string' ? utf8.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function decompress(bytes, format) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new IncrementError('corrupt', `a ${format} block does not decompress: ${e.message}`);
  }
}

/**
 * Rebuilds the new text from the old text and a chunk increment (its JSON text or parsed object):
 * the old text is cut into chunks of `chunkSize` UTF-16 code units; `data` holds literal strings
 * and [first, count] runs of chunks, concatenated in order.
 */
export async function applyChunk(oldText, increment) {
  const inc = typeof increment === 'string' ? parseJson(increment, 'chunk increment') : increment;
  if (!inc || inc.format !== 'chunk' || inc.version !== 1 || !Array.isArray(inc.data)) {
    throw new IncrementError('corrupt', 'not a version 1 chunk increment');
  }
  const size = inc.chunkSize;
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new IncrementError('corrupt', `bad chunkSize ${size}`);
  if ((await sha256Hex(oldText)) !== inc.oldSha256 || oldText.length !== inc.oldLength) {
    throw new IncrementError('wrong-base', `the increment was made for another base (old SHA-256 ${inc.oldSha256})`);
  }
  const chunks = Math.ceil(oldText.length / size);
  const parts = [];
  for (const [i, piece] of inc.data.entries()) {
    if (typeof piece === 'string') {
      parts.push(piece);
    } else if (Array.isArray(piece) && piece.length === 2 && Number.isInteger(piece[0]) && Number.isInteger(piece[1])) {
      const [first, count] = piece;
      if (first < 0 || count < 1 || first + count > chunks) {
        throw new IncrementError('corrupt', `data[${i}] = [${first}, ${count}] refers to chunks outside the old text's ${chunks}`);
      }
      parts.push(oldText.substring(first * size, Math.min(oldText.length, (first + count) * size)));
    } else {
      throw new IncrementError('corrupt', `data[${i}] is neither a string nor a [first, count] pair`);
    }
  }
  const rebuilt = parts.join('');
  if (rebuilt.length !== inc.newLength || (await sha256Hex(rebuilt)) !== inc.newSha256) {
    throw new IncrementError('mismatch', 'the rebuilt text does not have the length and SHA-256 the increment names');
  }
  return rebuilt;
}

/** bsdiff's 8-byte integer: little-endian magnitude, sign in the top bit of the last byte. */
function readInteger(bytes, at) {
  if (at + 8 > bytes.length) throw new IncrementError('corrupt', 'the control block ends early');
  let value = 0;
  for (let i = 6; i >= 0; i--) value = value * 256 + bytes[at + i];
  value += (bytes[at + 7] & 0x7f) * 2 ** 56;
  return bytes[at + 7] & 0x80 ? -value : value;
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Applies a bsdiff-gz increment (Uint8Array) to the old bytes; returns the new bytes. */
export async function applyBsdiffGz(oldBytes, patch) {
  const magic = String.fromCharCode(...patch.subarray(0, 8));
  if (patch.length < 96 || magic !== 'BSDIFFGZ') throw new IncrementError('corrupt', 'no BSDIFFGZ header');
  const oldSha = hex(patch.subarray(8, 40));
  if ((await sha256Hex(oldBytes)) !== oldSha) {
    throw new IncrementError('wrong-base', `the increment was made for another base (old SHA-256 ${oldSha})`);
  }
  const controlLength = readInteger(patch, 72);
  const diffLength = readInteger(patch, 80);
  const newLength = readInteger(patch, 88);
  if (controlLength < 0 || diffLength < 0 || newLength < 0 || 96 + controlLength + diffLength > patch.length) {
    throw new IncrementError('corrupt', 'block lengths do not fit the increment');
  }
  const control = await decompress(patch.subarray(96, 96 + controlLength), 'gzip');
  const diff = await decompress(patch.subarray(96 + controlLength, 96 + controlLength + diffLength), 'gzip');
  const extra = await decompress(patch.subarray(96 + controlLength + diffLength), 'gzip');
  const result = new Uint8Array(newLength);
  let newPos = 0, oldPos = 0, ctrlPos = 0, diffPos = 0, extraPos = 0;
  while (newPos < newLength) {
    const add = readInteger(control, ctrlPos), copy = readInteger(control, ctrlPos + 8), seek = readInteger(control, ctrlPos + 16);
    ctrlPos += 24;
    if (add < 0 || copy < 0 || newPos + add + copy > newLength || diffPos + add > diff.length || extraPos + copy > extra.length) {
      throw new IncrementError('corrupt', `a control triple (${add}, ${copy}, ${seek}) runs past its blocks`);
    }
    for (let i = 0; i < add; i++) {
      const at = oldPos + i;
      result[newPos + i] = (diff[diffPos + i] + (at >= 0 && at < oldBytes.length ? oldBytes[at] : 0)) & 0xff;
    }
    newPos += add; oldPos += add; diffPos += add;
    result.set(extra.subarray(extraPos, extraPos + copy), newPos);
    newPos += copy; extraPos += copy; oldPos += seek;
  }
  if ((await sha256Hex(result)) !== hex(patch.subarray(40, 72))) {
    throw new IncrementError('mismatch', 'the result does not have the SHA-256 the increment names');
  }
  return result;
}

/**
 * The entries of a zip (Uint8Array) as a Map of name to bytes; stored and deflated entries are
 * supported (deflate through DecompressionStream('deflate-raw')). Offline patches are all stored.
 */
export async function readZip(zip) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) { end = at; break; }
  }
  if (end < 0) throw new IncrementError('corrupt', 'not a zip (no end of central directory record)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder('utf-8', { fatal: true });
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) throw new IncrementError('corrupt', 'a broken central directory');
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true), extraLength = view.getUint16(at + 30, true), commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (entries.has(name)) throw new IncrementError('corrupt', `entry ${name} appears twice`);
    if (view.getUint32(local, true) !== 0x04034b50) throw new IncrementError('corrupt', `entry ${name} has no local header`);
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(dataAt, dataAt + compressedSize);
    if (method === 0) entries.set(name, data);
    else if (method === 8) entries.set(name, await decompress(data, 'deflate-raw'));
    else throw new IncrementError('corrupt', `entry ${name} uses compression method ${method}`);
  }
  return entries;
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IncrementError('corrupt', `${what} is not valid JSON: ${e.message}`);
  }
}

const decoder = new TextDecoder();

/** Refuses a package path that could escape the directory a package is extracted into. */
function checkPath(path) {
  const segments = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || /[\u0000-\u001f\u007f]/.test(path)
      || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new IncrementError('corrupt', `the path '${path}' escapes the package root or is malformed`);
  }
}

/**
 * Applies an offline patch (Uint8Array of its zip) to an old package given as a Map of path to
 * bytes that includes its 'manifest.json'. Returns the new package the same way. The old package
 * is checked file by file against its manifest, the patch's base against the old manifest's
 * SHA-256, and every new file against the new manifest, before anything is returned.
 */
export async function applyOfflinePatch(oldPackage, patchZip) {
  const oldManifestBytes = oldPackage.get('manifest.json');
  if (!oldManifestBytes) throw new IncrementError('wrong-base', 'the old package has no manifest.json');
  const oldManifest = parseJson(decoder.decode(oldManifestBytes), 'the old manifest');
  for (const [path, facts] of Object.entries(oldManifest.files)) {
    const bytes = oldPackage.get(path);
    if (!bytes || (await sha256Hex(bytes)) !== facts.sha256) {
      throw new IncrementError('wrong-base', `the old package's '${path}' is missing or does not match its manifest`);
    }
  }
  const patch = await readZip(patchZip);
  if (!patch.has('patch.json')) throw new IncrementError('corrupt', 'the patch has no patch.json');
  const header = parseJson(decoder.decode(patch.get('patch.json')), 'patch.json');
  if (header.format !== 'offline-patch' || header.version !== 1) throw new IncrementError('corrupt', 'not a version 1 offline patch');
  if ((await sha256Hex(oldManifestBytes)) !== header.oldPackageSha256) {
    throw new IncrementError('wrong-base', `the patch was made for another base (package SHA-256 ${header.oldPackageSha256})`);
  }
  const manifestBytes = patch.get('manifest.json');
  if (!manifestBytes || (await sha256Hex(manifestBytes)) !== header.newPackageSha256) {
    throw new IncrementError('corrupt', "the patch's manifest.json is missing or not the new package's");
  }
  const manifest = parseJson(decoder.decode(manifestBytes), 'the new manifest');
  for (const path of Object.keys(manifest.files)) checkPath(path);
  const carried = new Map(header.files.filter((f) => f.action === 'changed' || f.action === 'added').map((f) => [f.path, f]));
  const result = new Map([['manifest.json', manifestBytes]]);
  for (const [path, facts] of Object.entries(manifest.files)) {
    const file = carried.get(path);
    let bytes;
    if (!file) {
      bytes = oldPackage.get(path);
      if (!bytes || oldManifest.files[path]?.sha256 !== facts.sha256) {
        throw new IncrementError('corrupt', `the patch does not carry '${path}', which the old package does not have unchanged`);
      }
    } else {
      const payload = patch.get(file.entry);
      if (!payload) throw new IncrementError('corrupt', `the entry ${file.entry} for '${path}' is missing`);
      if (file.encoding === 'stored') bytes = payload;
      else if (file.encoding === 'gzip') bytes = await decompress(payload, 'gzip');
      else if (file.encoding === 'bsdiff-gz') {
        const base = oldPackage.get(file.base);
        if (!base || oldManifest.files[file.base]?.sha256 !== file.baseSha256) {
          throw new IncrementError('wrong-base', `'${path}' is built from '${file.base}', which the old package lacks`);
        }
        bytes = await applyBsdiffGz(base, payload);
      } else throw new IncrementError('corrupt', `'${path}' has the unknown encoding ${file.encoding}`);
    }
    if ((await sha256Hex(bytes)) !== facts.sha256) {
      throw new IncrementError('mismatch', `'${path}' does not have the SHA-256 the new manifest lists`);
    }
    result.set(path, bytes);
  }
  return result;
}
