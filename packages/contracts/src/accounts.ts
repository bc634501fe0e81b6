import { z } from 'zod';

/** Lower-cased and trimmed: the same address always finds the same account. */
export const emailSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.email('must be an email address').max(254),
);

/** For new passwords; sign-in accepts any length up to the maximum (older accounts). */
export const newPasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');
const passwordSchema = z.string().min(1, 'is required').max(256, 'must be at most 256 characters');

const personNameSchema = z.string().trim().min(1, 'is required').max(200);

const tokenModeSchema = z
  .enum(['token', 'cookie'])
  .optional()
  .describe(
    '`token`: also return the refresh token in the body (API clients; or send `x-e3d-client: api`). Default: browsers get HttpOnly cookies.',
  );

export const registerRequestSchema = z
  .object({ email: emailSchema, password: newPasswordSchema, name: personNameSchema, mode: tokenModeSchema })
  .meta({ id: 'RegisterRequest' });

export const loginRequestSchema = z
  .object({ email: emailSchema, password: passwordSchema, mode: tokenModeSchema })
  .meta({ id: 'LoginRequest' });

export const refreshRequestSchema = z
  .object({
    refreshToken: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('API clients; browsers send the `e3d_refresh` cookie (and the x-csrf-token header)'),
    mode: tokenModeSchema,
  })
  .meta({ id: 'RefreshRequest' });

export const logoutRequestSchema = z
  .object({ refreshToken: refreshRequestSchema.shape.refreshToken })
  .meta({ id: 'LogoutRequest' });

export const tokenResponseSchema = z
  .object({
    accessToken: z.string().describe('JWT for `Authorization: Bearer`; browsers also get it as a cookie'),
    expiresIn: z.number().int().describe('Seconds the access token is valid'),
    refreshToken: z
      .string()
      .optional()
      .describe('Only for API clients (`mode: "token"` or `x-e3d-client: api`); single use, rotated'),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'TokenResponse' });

export const changePasswordRequestSchema = z
  .object({
    currentPassword: passwordSchema,
    newPassword: newPasswordSchema,
    refreshToken: refreshRequestSchema.shape.refreshToken.describe(
      'The session to keep (API clients); browsers keep the one in their cookie. Every other session is signed out.',
    ),
  })
  .meta({ id: 'ChangePasswordRequest' });

export const passwordResetRequestSchema = z
  .object({ email: emailSchema })
  .meta({ id: 'PasswordResetRequest' });

export const passwordResetConfirmSchema = z
  .object({ token: z.string().min(1, 'is required').max(200), password: newPasswordSchema })
  .meta({ id: 'PasswordResetConfirm' });

export const acceptInviteRequestSchema = passwordResetConfirmSchema.meta({ id: 'AcceptInviteRequest' });

export const deleteAccountRequestSchema = z
  .object({ password: passwordSchema })
  .meta({ id: 'DeleteAccountRequest' });

export const customerProfileSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    marketingOptIn: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'CustomerProfile' });

export const updateProfileSchema = z
  .object({ name: personNameSchema.optional(), marketingOptIn: z.boolean().optional() })
  .meta({ id: 'UpdateProfile' });

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2, upper-cased; codes no one assigned (XX) are refused. */
export const countryCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like DE')
  .transform((code) => code.toUpperCase())
  .refine((code) => regionNames.of(code) !== code, 'is not a known ISO 3166-1 country code');

const line = (max: number) => z.string().trim().min(1, 'is required').max(max);
const optionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

export const addressInputSchema = z
  .object({
    name: line(200),
    company: optionalLine(200),
    line1: line(200),
    line2: optionalLine(200),
    city: line(100),
    region: optionalLine(100),
    postalCode: line(20),
    country: countryCodeSchema,
    phone: optionalLine(40),
    isDefaultShipping: z
      .boolean()
      .optional()
      .describe('Becomes the default; the previous default stops being one'),
    isDefaultBilling: z.boolean().optional(),
  })
  .meta({ id: 'NewAddress' });

export const addressUpdateSchema = addressInputSchema.partial().meta({ id: 'AddressPatch' });

export const addressSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    company: z.string().nullable(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string(),
    phone: z.string().nullable(),
    isDefaultShipping: z.boolean(),
    isDefaultBilling: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Address' });

export const addressListSchema = z.object({ items: z.array(addressSchema) }).meta({ id: 'AddressList' });

export const staffRoleSchema = z.enum(['owner', 'admin', 'catalog_editor', 'support']);

export const staffProfileSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: staffRoleSchema,
    permissions: z.array(z.string()).describe('What this role may do, e.g. catalog:write'),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'StaffProfile' });

export type RegisterRequest = z.output<typeof registerRequestSchema>;
export type LoginRequest = z.output<typeof loginRequestSchema>;
export type TokenResponse = z.output<typeof tokenResponseSchema>;
export type CustomerProfile = z.output<typeof customerProfileSchema>;
export type UpdateProfile = z.output<typeof updateProfileSchema>;
export type AddressInput = z.output<typeof addressInputSchema>;
export type AddressUpdate = z.output<typeof addressUpdateSchema>;
export type Address = z.output<typeof addressSchema>;
export type StaffProfile = z.output<typeof staffProfileSchema>;
