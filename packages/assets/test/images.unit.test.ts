import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type AssetError, makeImageVariants, sha256Hex } from '../src/index.ts';
import { caught, makePng, utf8 } from './fixtures.ts';

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A decompression bomb: a PNG of a few hundred bytes whose header says 100 000 × 100 000 pixels. */
function pngBomb(size = 100_000): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale
  const rows = deflateSync(Buffer.alloc(64 * (1 + size / 8))); // a few zero rows
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', rows),
      pngChunk('IEND', new Uint8Array()),
    ]),
  );
}

/** A 400 × 200 photo stored sideways: EXIF orientation 6 means "rotate 90° clockwise to display". */
async function sidewaysJpeg(): Promise<Uint8Array> {
  const raw = Buffer.alloc(400 * 200 * 3);
  for (let i = 0; i < raw.length; i += 3) raw[i] = (i / 3) % 400 < 200 ? 255 : 0; // left half red
  return new Uint8Array(
    await sharp(raw, { raw: { width: 400, height: 200, channels: 3 } })
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'secret camera owner' } } })
      .toBuffer(),
  );
}

describe('makeImageVariants', () => {
  it('makes webp, avif and the original format at each width, never upscaling', async () => {
    const png = await makePng(1000, 500);
    const { original, variants } = await makeImageVariants(png);
    expect(original).toMatchObject({
      format: 'png',
      mimeType: 'image/png',
      width: 1000,
      height: 500,
      hasAlpha: false,
    });
    expect(original.hash).toBe(sha256Hex(png));
    // 1280 and 1920 exceed the source: dropped, and the source width itself is offered instead
    expect(variants.map((v) => `${v.width}x${v.height}.${v.format}`)).toEqual([
      '320x160.webp',
      '320x160.avif',
      '320x160.png',
      '640x320.webp',
      '640x320.avif',
      '640x320.png',
      '960x480.webp',
      '960x480.avif',
      '960x480.png',
      '1000x500.webp',
      '1000x500.avif',
      '1000x500.png',
    ]);
    for (const v of variants) {
      const meta = await sharp(v.bytes).metadata();
      expect(meta.format === 'heif' ? 'avif' : meta.format).toBe(v.format);
      expect([meta.width, meta.height]).toEqual([v.width, v.height]);
      expect(v.mimeType).toBe(`image/${v.format}`);
      expect(v.hash).toBe(sha256Hex(v.bytes));
    }
  });

  it('keeps WebP as WebP (no duplicate), and honours custom widths and formats', async () => {
    const webp = new Uint8Array(
      await sharp(await makePng(300, 300))
        .webp()
        .toBuffer(),
    );
    const result = await makeImageVariants(webp, {
      widths: [100, 200],
      formats: ['original', 'webp', 'jpeg'],
    });
    expect(result.original.mimeType).toBe('image/webp');
    expect(result.variants.map((v) => `${v.width}.${v.format}`)).toEqual([
      '100.webp',
      '100.jpeg',
      '200.webp',
      '200.jpeg',
    ]);
  });

  it('reads AVIF and GIF sources: AVIF stays AVIF, an opaque GIF becomes JPEG', async () => {
    const png = await makePng(200, 100);
    const avif = await makeImageVariants(new Uint8Array(await sharp(png).avif().toBuffer()), {
      widths: [100],
    });
    expect(avif.original).toMatchObject({ format: 'avif', mimeType: 'image/avif', width: 200 });
    expect(avif.variants.map((v) => v.format)).toEqual(['webp', 'avif']);
    const gif = await makeImageVariants(new Uint8Array(await sharp(png).gif().toBuffer()), { widths: [100] });
    expect(gif.original).toMatchObject({ format: 'gif', mimeType: 'image/gif' });
    expect(gif.variants.map((v) => v.format)).toEqual(['webp', 'avif', 'jpeg']);
  });

  it('applies the EXIF orientation and strips metadata', async () => {
    const jpeg = await sidewaysJpeg();
    const { original, variants } = await makeImageVariants(jpeg, {
      widths: [100, 150, 1000],
      formats: ['original'],
    });
    expect(original).toMatchObject({ format: 'jpeg', width: 200, height: 400, orientation: 6 });
    expect(variants.map((v) => [v.width, v.height])).toEqual([
      [100, 200],
      [150, 300],
      [200, 400],
    ]);
    for (const v of variants) {
      const meta = await sharp(v.bytes).metadata();
      expect(meta.orientation).toBeUndefined();
      expect(meta.exif).toBeUndefined();
      expect(Buffer.from(v.bytes).includes('secret camera owner')).toBe(false);
    }
    // the red half was the left of the stored image, so it is the top once rotated clockwise
    const { data } = await sharp(variants[0]?.bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => data[(y * 100 + x) * 3] ?? 0;
    expect(pixel(50, 20)).toBeGreaterThan(200);
    expect(pixel(50, 180)).toBeLessThan(50);
  });

  it('image_too_many_pixels: a tiny file with huge dimensions is refused before decoding', async () => {
    const bomb = pngBomb();
    expect(bomb.byteLength).toBeLessThan(20_000);
    const started = performance.now();
    const error = (await caught(() => makeImageVariants(bomb))) as AssetError<'image_too_many_pixels'>;
    expect(error).toMatchObject({
      code: 'image_too_many_pixels',
      details: { width: 100_000, height: 100_000, pixels: 1e10, limit: 50_000_000 },
    });
    expect(performance.now() - started).toBeLessThan(2000);
    // and a lower limit from settings applies to ordinary images
    const jpeg = await sidewaysJpeg();
    const small = await caught(() => makeImageVariants(jpeg, { limits: { maxImagePixels: 10_000 } }));
    expect(small).toMatchObject({ code: 'image_too_many_pixels', details: { limit: 10_000 } });
  });

  it('unsupported_image: text, SVG and a truncated PNG', async () => {
    expect(await caught(() => makeImageVariants(utf8('not an image')))).toMatchObject({
      code: 'unsupported_image',
    });
    const svg = utf8(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    expect(await caught(() => makeImageVariants(svg))).toMatchObject({
      code: 'unsupported_image',
      details: { format: 'svg' },
    });
    const png = await makePng(400, 400);
    expect(await caught(() => makeImageVariants(png.subarray(0, png.byteLength / 2)))).toMatchObject({
      code: 'unsupported_image',
    });
  });

  it('too_large_bytes: an image over maxImageBytes', async () => {
    const png = await makePng(64, 64);
    expect(await caught(() => makeImageVariants(png, { limits: { maxImageBytes: 100 } }))).toMatchObject({
      code: 'too_large_bytes',
      details: { subject: 'image', bytes: png.byteLength, limit: 100 },
    });
  });
});
