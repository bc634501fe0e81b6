import { z } from 'zod';

export const MEDIA_CONTENT_TYPES = {
  image: ['image/jpeg', 'image/png', 'image/webp', 'image/avif'],
  model: ['model/gltf-binary', 'model/gltf+json', 'application/zip'],
} as const;

export const mediaKindSchema = z.enum(['image', 'model']);

export const uploadRequestSchema = z
  .object({
    kind: mediaKindSchema,
    filename: z.string().trim().min(1).max(255),
    contentType: z.string().min(3).max(100),
    byteSize: z.number().int().min(1).describe('Exact size of the file to upload, in bytes'),
  })
  .refine((b) => (MEDIA_CONTENT_TYPES[b.kind] as readonly string[]).includes(b.contentType), {
    message: 'is not accepted for this kind (images: JPEG, PNG, WebP, AVIF; models: GLB, glTF, ZIP)',
    path: ['contentType'],
  })
  .meta({ id: 'UploadRequest' });

export const directUploadSchema = z
  .object({
    uploadKey: z.string(),
    maxBytes: z.number().int(),
    upload: z.object({
      method: z.literal('POST'),
      url: z.string(),
      fields: z.record(z.string(), z.string()).describe('Send every field, then the file as `file`'),
      expiresAt: z.string(),
    }),
  })
  .meta({ id: 'DirectUpload' });

export const confirmUploadSchema = z
  .object({
    kind: mediaKindSchema,
    uploadKey: z
      .string()
      .regex(/^uploads\/[0-9a-f-]{36}\/[a-z0-9][a-z0-9._-]*$/, 'is not an upload key this API issued'),
    alt: z.string().max(500).default(''),
    variantId: z.uuid().nullable().default(null),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .meta({ id: 'ConfirmUpload' });

export const replaceMediaSchema = z.object({
  uploadKey: confirmUploadSchema.shape.uploadKey,
});

const statsSchema = z.object({
  triangles: z.number(),
  vertices: z.number(),
  meshes: z.number(),
  materials: z.number(),
  textures: z.number(),
  animations: z.number(),
  sizeMetres: z.array(z.number()),
  materialVariants: z.array(z.string()),
});

export const adminMediaSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    variantId: z.string().nullable(),
    kind: mediaKindSchema,
    status: z.enum(['uploaded', 'processing', 'ready', 'failed']),
    position: z.number().int(),
    alt: z.string(),
    url: z.string().nullable().describe('The served asset, once ready'),
    originalUrl: z.string().nullable(),
    mimeType: z.string().nullable(),
    byteSize: z.number().int().nullable(),
    originalByteSize: z.number().int().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    stats: statsSchema.nullable(),
    statsBefore: statsSchema.nullable(),
    preset: z.string().nullable(),
    processingMs: z.number().nullable(),
    renditions: z.array(
      z.object({
        width: z.number(),
        height: z.number(),
        format: z.string(),
        url: z.string(),
        byteSize: z.number(),
      }),
    ),
    validator: z
      .object({
        errors: z.number(),
        warnings: z.number(),
        messages: z.array(
          z.object({
            code: z.string(),
            message: z.string(),
            severity: z.string(),
            pointer: z.string().optional(),
          }),
        ),
      })
      .nullable(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    attribution: z.string().nullable(),
    posterMediaId: z
      .string()
      .nullable()
      .describe("A model's poster: an image media of the same product shown until the 3D view loads"),
    createdAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .meta({ id: 'AdminMedia' });

export type AdminMedia = z.output<typeof adminMediaSchema>;

export const adminMediaListSchema = z
  .object({ items: z.array(adminMediaSchema) })
  .meta({ id: 'AdminMediaList' });
