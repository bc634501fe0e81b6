import { describe, expect, it } from 'vitest';
import {
  assertPublicKey,
  assertValidKey,
  cacheControlFor,
  contentHashedKey,
  IMMUTABLE_CACHE_CONTROL,
  isPublicKey,
  isUploadKey,
  StorageKeyError,
  UPLOAD_CACHE_CONTROL,
  uploadKey,
} from '../src/index.ts';

const ID = '0b7c2e2e-7d4f-4b8a-9f55-3c1d2e4f5a6b';

describe('storage keys', () => {
  it('makes safe staging keys from any file name', () => {
    expect(uploadKey('Helmet.GLB', ID)).toBe(`uploads/${ID}/helmet.glb`);
    expect(uploadKey('../../etc/passwd', ID)).toBe(`uploads/${ID}/passwd`);
    expect(uploadKey('C:\\Users\\me\\Désk top\\Chaise №1.glb', ID)).toBe(`uploads/${ID}/chaise-no1.glb`);
    expect(uploadKey('...', ID)).toBe(`uploads/${ID}/upload`);
    expect(uploadKey('', ID)).toBe(`uploads/${ID}/upload`);
    const long = uploadKey(`${'a'.repeat(300)}.glb`, ID);
    expect(long.endsWith('.glb')).toBe(true);
    expect(long.length).toBe(`uploads/${ID}/`.length + 128);
    expect(isUploadKey(uploadKey('x.glb'))).toBe(true);
    expect(() => uploadKey('x.glb', 'not-a-uuid')).toThrow(StorageKeyError);
  });

  it('tells public keys from staged uploads', () => {
    const hashed = contentHashedKey('models', 'ef'.repeat(32), 'glb');
    expect(isPublicKey(hashed)).toBe(true);
    expect(isUploadKey(hashed)).toBe(false);
    expect(isPublicKey(`uploads/${ID}/a.glb`)).toBe(false);
    expect(() => assertValidKey(`uploads/${ID}/a.glb`)).not.toThrow();
    expect(() => assertPublicKey(`uploads/${ID}/a.glb`)).toThrow(/staged uploads have no public URL/);
    for (const bad of [
      `uploads/${ID}`,
      `uploads/${ID}/`,
      `uploads/${ID}/a/b.glb`,
      `uploads/${ID}/.hidden`,
      'uploads/x/a',
    ]) {
      expect(() => assertValidKey(bad), bad).toThrow(StorageKeyError);
    }
    expect(cacheControlFor(hashed)).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(cacheControlFor(`uploads/${ID}/a.glb`)).toBe(UPLOAD_CACHE_CONTROL);
  });
});
