import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssetError, inspectModel, readModelUpload, validateModel } from '../src/index.ts';
import {
  caught,
  json,
  loadModel,
  makeMultiFileGltf,
  makeZippedGltf,
  streamingZip,
  utf8,
  zip,
} from './fixtures.ts';

const codeOf = (error: unknown) => (error instanceof AssetError ? error.code : error);

describe('readModelUpload accepts', () => {
  it('a GLB as it is', async () => {
    const bytes = loadModel('TwoCubes.glb');
    const upload = await readModelUpload(bytes, { filename: 'TwoCubes.glb' });
    expect(upload).toMatchObject({ container: 'glb', format: 'glb', path: 'TwoCubes.glb', resources: {} });
    expect(upload.main).toBe(bytes);
    expect(upload.byteLength).toBe(bytes.byteLength);
  });

  it('a self-contained .gltf with data: URIs', async () => {
    const model = await makeMultiFileGltf();
    const [buffer] = model.json.buffers;
    const [image] = model.json.images;
    if (!buffer || !image) throw new Error('fixture without buffer or image');
    buffer.uri = `data:application/octet-stream;base64,${Buffer.from(model.bin).toString('base64')}`;
    image.uri = `data:image/png;base64,${Buffer.from(model.png).toString('base64')}`;
    const upload = await readModelUpload(json(model.json), { filename: 'cube.gltf' });
    expect(upload).toMatchObject({ container: 'gltf', format: 'gltf', resources: {} });
    const stats = await inspectModel(upload);
    expect(stats).toMatchObject({ triangles: 12, vertices: 24, textures: 1 });
    expect(stats.textureList).toEqual([
      {
        name: 'albedo',
        mimeType: 'image/png',
        width: 64,
        height: 64,
        bytes: model.png.byteLength,
        slots: ['baseColorTexture'],
      },
    ]);
  });

  it('a ZIP with one .gltf, its .bin and a PNG in subfolders, served from memory', async () => {
    const upload = await readModelUpload(await makeZippedGltf(), { filename: 'cube.zip' });
    expect(upload.container).toBe('zip');
    expect(upload.format).toBe('gltf');
    expect(upload.path).toBe('model/scene.gltf');
    expect(Object.keys(upload.resources).sort()).toEqual(['scene.bin', 'textures/albedo.png']);
    const report = await validateModel(upload);
    expect(report).toMatchObject({ valid: true, errors: 0, triangles: 12 });
    expect(report.images).toEqual([{ pointer: '/images/0', mimeType: 'image/png', width: 64, height: 64 }]);
  });

  it('a ZIP whose paths use ./, ../ that stays inside, and percent-encoding', async () => {
    const model = await makeMultiFileGltf();
    model.json.buffers[0] = { ...model.json.buffers[0], uri: '../shared/scene%20data.bin' };
    model.json.images[0] = { ...model.json.images[0], uri: './textures/./albedo.png' };
    const bytes = zip({
      'model/scene.gltf': json(model.json),
      'shared/scene data.bin': model.bin,
      'model/textures/albedo.png': model.png,
      '__MACOSX/model/._scene.gltf': utf8('resource fork'),
    });
    const upload = await readModelUpload(bytes);
    expect(Object.keys(upload.resources).sort()).toEqual([
      '../shared/scene%20data.bin',
      './textures/./albedo.png',
    ]);
    expect((await validateModel(upload)).valid).toBe(true);
    expect((await inspectModel(upload)).triangles).toBe(12);
  });

  it('a ZIP written by a streaming archiver (sizes in data descriptors)', async () => {
    const model = await makeMultiFileGltf();
    const bytes = streamingZip({
      'scene.gltf': json(model.json),
      'scene.bin': model.bin,
      'textures/albedo.png': model.png,
    });
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(6, true) & 0x08).toBe(0x08);
    const upload = await readModelUpload(bytes);
    expect(upload.files['textures/albedo.png']).toEqual(model.png);
    expect((await validateModel(upload)).valid).toBe(true);
  });

  it('a ZIP holding a single GLB', async () => {
    const upload = await readModelUpload(zip({ 'TwoCubes.glb': loadModel('TwoCubes.glb') }));
    expect(upload).toMatchObject({ container: 'zip', format: 'glb', path: 'TwoCubes.glb' });
    expect((await inspectModel(upload)).triangles).toBe(24);
  });
});

describe('readModelUpload refuses', () => {
  it('not_gltf: bytes that are no model, and a ZIP without exactly one model file', async () => {
    expect(codeOf(await caught(() => readModelUpload(utf8('hello'))))).toBe('not_gltf');
    expect(codeOf(await caught(() => readModelUpload(json({ asset: { version: '1.0' } }))))).toBe('not_gltf');
    expect(codeOf(await caught(() => readModelUpload(zip({ 'a.txt': utf8('x') }))))).toBe('not_gltf');
    const two = await caught(async () =>
      readModelUpload(
        zip({ 'a.gltf': json({ asset: { version: '2.0' } }), 'b.gltf': json({ asset: { version: '2.0' } }) }),
      ),
    );
    expect(two).toMatchObject({
      code: 'not_gltf',
      details: { reason: expect.stringContaining('2 model files') },
    });
  });

  it('not_gltf: a file whose name lies about its content (.glb that is a ZIP, .gltf that is a GLB)', async () => {
    const lie = await caught(() => readModelUpload(zip({ 'x.gltf': utf8('{}') }), { filename: 'chair.glb' }));
    expect(lie).toMatchObject({
      code: 'not_gltf',
      details: { filename: 'chair.glb', expected: 'glb', detected: 'zip' },
    });
    const glbAsGltf = await caught(() =>
      readModelUpload(loadModel('TwoCubes.glb'), { filename: 'chair.gltf' }),
    );
    expect(glbAsGltf).toMatchObject({ code: 'not_gltf', details: { expected: 'gltf', detected: 'glb' } });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(await caught(() => readModelUpload(png, { filename: 'chair.glb' }))).toMatchObject({
      code: 'not_gltf',
      details: { detected: 'unknown' },
    });
  });

  it('corrupt_binary: a GLB whose header length does not match its bytes (truncated or padded)', async () => {
    const glb = loadModel('DamagedHelmet.glb');
    const truncated = await caught(() => readModelUpload(glb.subarray(0, glb.byteLength - 1000)));
    expect(truncated).toMatchObject({
      code: 'corrupt_binary',
      details: { declaredLength: glb.byteLength, actualLength: glb.byteLength - 1000 },
    });
    const padded = new Uint8Array(glb.byteLength + 4);
    padded.set(glb);
    expect(codeOf(await caught(() => readModelUpload(padded)))).toBe('corrupt_binary');
    // header intact but the JSON chunk length points past the end
    const broken = loadModel('TwoCubes.glb').slice();
    new DataView(broken.buffer).setUint32(12, broken.byteLength, true);
    expect(await caught(() => readModelUpload(broken))).toMatchObject({
      code: 'corrupt_binary',
      details: { reason: expect.stringContaining('JSON chunk') },
    });
  });

  it('corrupt_zip: a truncated archive, and a .zip that is not one', async () => {
    const bytes = await makeZippedGltf();
    expect(codeOf(await caught(() => readModelUpload(bytes.subarray(0, bytes.byteLength - 30))))).toBe(
      'corrupt_zip',
    );
    expect(
      await caught(() => readModelUpload(loadModel('TwoCubes.glb'), { filename: 'model.zip' })),
    ).toMatchObject({
      code: 'corrupt_zip',
      details: { expected: 'zip', detected: 'glb' },
    });
    // entry data scrambled: the directory is fine, inflating fails
    const scrambled = bytes.slice();
    scrambled.fill(0xff, 60, 200);
    expect(codeOf(await caught(() => readModelUpload(scrambled)))).toBe('corrupt_zip');
  });

  it('too_large_bytes: an upload over maxModelBytes, before reading it', async () => {
    const error = await caught(() =>
      readModelUpload(loadModel('DamagedHelmet.glb'), { limits: { maxModelBytes: 1_000_000 } }),
    );
    expect(error).toMatchObject({
      code: 'too_large_bytes',
      details: { subject: 'model', bytes: 3773916, limit: 1_000_000 },
    });
  });

  it('too_many_zip_entries: an archive with more entries than maxZipEntries', async () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, utf8(String(i))]));
    const error = await caught(() => readModelUpload(zip(files), { limits: { maxZipEntries: 10 } }));
    expect(error).toMatchObject({ code: 'too_many_zip_entries', details: { entries: 11, limit: 10 } });
  });

  it('too_large_bytes (zip_uncompressed): a zip bomb, by its declared sizes and by what it really inflates to', async () => {
    const bomb = zip({
      'model.gltf': json({ asset: { version: '2.0' } }),
      'zeros.bin': new Uint8Array(4_000_000),
    });
    expect(bomb.byteLength).toBeLessThan(20_000);
    const limits = { maxZipUncompressedBytes: 1_000_000 };
    expect(await caught(() => readModelUpload(bomb, { limits }))).toMatchObject({
      code: 'too_large_bytes',
      details: { subject: 'zip_uncompressed', limit: 1_000_000 },
    });
    // The same archive lying about its sizes (local and central headers say 10 bytes).
    const liar = bomb.slice();
    const view = new DataView(liar.buffer);
    for (let at = 0; at + 4 <= liar.byteLength; at++) {
      const signature = view.getUint32(at, true);
      if (signature === 0x04034b50 && view.getUint32(at + 22, true) === 4_000_000)
        view.setUint32(at + 22, 10, true);
      if (signature === 0x02014b50 && view.getUint32(at + 24, true) === 4_000_000)
        view.setUint32(at + 24, 10, true);
    }
    const error = await caught(() => readModelUpload(liar, { limits }));
    expect(error).toMatchObject({ code: 'too_large_bytes', details: { subject: 'zip_uncompressed' } });
    // counted while inflating, not taken from the (lying) headers
    expect((error as AssetError<'too_large_bytes'>).details.bytes).toBeGreaterThanOrEqual(4_000_000);
  });
});

describe('external_reference: resources resolve only inside the upload, without touching disk or network', () => {
  // Each of these names a file that really exists on this machine: reading it would succeed,
  // so a rejection proves it was not read. The spies catch any attempt anyway.
  const here = fileURLToPath(import.meta.url);
  const cases: [string, string, string][] = [
    ['../x.bin', '../x.bin', 'escapes_upload'],
    ['../ from a file in a folder', 'sub/../../x.bin', 'escapes_upload'],
    ['climbing to /etc/passwd', '../../../../../../../../etc/passwd', 'escapes_upload'],
    ['percent-encoded ..', '%2e%2e/%2e%2e/%2e%2e/etc/passwd', 'escapes_upload'],
    ['encoded slashes', '..%2F..%2F..%2Fetc%2Fpasswd', 'escapes_upload'],
    ['backslashes', '..\\..\\..\\etc\\passwd', 'escapes_upload'],
    ['an absolute path', '/etc/passwd', 'absolute'],
    ['an encoded absolute path', '%2Fetc%2Fpasswd', 'absolute'],
    ['this test file, absolute', here, 'absolute'],
    ['a file: URI', 'file:///etc/passwd', 'file_uri'],
    ['a file: URI to this test file', `file://${here}`, 'file_uri'],
    ['http', 'http://example.com/x.bin', 'remote'],
    ['https', 'https://example.com/x.bin', 'remote'],
    ['protocol-relative', '//example.com/x.bin', 'remote'],
    ['a file missing from the upload', 'other.bin', 'missing'],
    ['bad percent-encoding', '%E0%A4%A.bin', 'malformed'],
  ];

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(cases)('%s (%s) as %s', async (_label, uri, reason) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const fsSpies = [
      vi.spyOn(fs, 'readFileSync'),
      vi.spyOn(fs, 'readFile'),
      vi.spyOn(fs, 'openSync'),
      vi.spyOn(fs, 'createReadStream'),
      vi.spyOn(fs.promises, 'readFile'),
      vi.spyOn(fs.promises, 'open'),
    ];
    // The .gltf sits at the ZIP's root, so any `..` climbs out of the upload.
    const bytes = await makeZippedGltf((model) => {
      model.buffers[0] = { ...model.buffers[0], uri };
    }, '');
    for (const run of [() => readModelUpload(bytes), () => validateModel(bytes), () => inspectModel(bytes)]) {
      const error = await caught(run);
      expect(error).toMatchObject({
        code: 'external_reference',
        details: { uri, reason, pointer: '/buffers/0/uri' },
      });
    }
    for (const spy of [fetchSpy, ...fsSpies]) expect(spy).not.toHaveBeenCalled();
  });

  it('checks image URIs too, and bare GLB / .gltf uploads (nothing beside them is reachable)', async () => {
    const image = await makeZippedGltf((model) => {
      model.images[0] = { ...model.images[0], uri: '/etc/passwd' };
    });
    expect(await caught(() => readModelUpload(image))).toMatchObject({
      code: 'external_reference',
      details: { pointer: '/images/0/uri', reason: 'absolute' },
    });
    const model = await makeMultiFileGltf();
    expect(await caught(() => readModelUpload(json(model.json), { filename: 'scene.gltf' }))).toMatchObject({
      code: 'external_reference',
      details: { uri: 'scene.bin', reason: 'missing' },
    });
  });
});
