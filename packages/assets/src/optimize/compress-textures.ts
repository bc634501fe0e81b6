import { type Document, ImageUtils, TextureChannel, type Transform } from '@gltf-transform/core';
import { EXTTextureAVIF, EXTTextureWebP } from '@gltf-transform/extensions';
import { compressTexture, createTransform, getTextureChannelMask } from '@gltf-transform/functions';
import sharp from 'sharp';
import { AssetError } from '../errors.ts';
import { ASSET_LIMIT_DEFAULTS } from '../limits.ts';

export interface CompressTexturesOptions {
  /** Target format (EXT_texture_webp / EXT_texture_avif for those); `keep` keeps each texture's own. */
  format: 'webp' | 'avif' | 'jpeg' | 'png' | 'keep';
  /** Encoder quality for lossy formats, 1–100. */
  quality: number;
  /** Longest edge in pixels: larger textures are scaled down (aspect kept), smaller never up. */
  maxSize: number;
  /**
   * Re-encode textures already in the target format and within `maxSize` (lossy: costs some
   * fidelity for bytes). PNG is always re-compressed losslessly and kept only when smaller.
   */
  reencode: boolean;
  /** Refuse textures with more pixels than this (a decompression bomb inside a model). */
  maxTexturePixels: number;
}

export const COMPRESS_TEXTURES_DEFAULTS: Readonly<CompressTexturesOptions> = Object.freeze({
  format: 'webp',
  quality: 80,
  maxSize: 2048,
  reencode: true,
  maxTexturePixels: ASSET_LIMIT_DEFAULTS.maxTexturePixels,
});

const ENCODABLE = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'];

/** Declares EXT_texture_webp / EXT_texture_avif exactly when a texture needs it. */
function syncFormatExtensions(document: Document): void {
  const mimeTypes = new Set(
    document
      .getRoot()
      .listTextures()
      .map((t) => t.getMimeType()),
  );
  const webp = document.createExtension(EXTTextureWebP);
  if (mimeTypes.has('image/webp')) webp.setRequired(true);
  else webp.dispose();
  const avif = document.createExtension(EXTTextureAVIF);
  if (mimeTypes.has('image/avif')) avif.setRequired(true);
  else avif.dispose();
}

/** Resizes and re-encodes textures with sharp (libvips, prebuilt; no native build). */
export function compressTextures(options: Partial<CompressTexturesOptions> = {}): Transform {
  const { format, quality, maxSize, reencode, maxTexturePixels } = {
    ...COMPRESS_TEXTURES_DEFAULTS,
    ...options,
  };
  return createTransform('compressTextures', async (document) => {
    const textures = document.getRoot().listTextures();
    await Promise.all(
      textures.map(async (texture) => {
        const mimeType = texture.getMimeType();
        const image = texture.getImage();
        if (!image || !ENCODABLE.includes(mimeType)) return; // e.g. KTX2 stays as it is
        const [width = 0, height = 0] = ImageUtils.getSize(image, mimeType) ?? [];
        if (width * height > maxTexturePixels) {
          throw new AssetError('texture_too_large', {
            name: texture.getName() || texture.getURI(),
            width,
            height,
            pixels: width * height,
            limit: maxTexturePixels,
          });
        }
        let target = format === 'keep' ? mimeType : `image/${format}`;
        // JPEG has no alpha: a texture whose alpha is used keeps its format.
        if (target === 'image/jpeg' && getTextureChannelMask(texture) & TextureChannel.A) target = mimeType;
        const resize = Math.max(width, height) > maxSize;
        if (!resize && target === mimeType && !reencode && mimeType !== 'image/png') return;
        const targetFormat = target.slice('image/'.length) as 'webp' | 'avif' | 'jpeg' | 'png';
        await compressTexture(texture, {
          encoder: sharp,
          targetFormat,
          // sharp's PNG `quality` means lossy palette reduction: PNG stays lossless here.
          ...(targetFormat !== 'png' && { quality }),
          ...(resize && { resize: [maxSize, maxSize] }),
        });
      }),
    );
    syncFormatExtensions(document);
  });
}
