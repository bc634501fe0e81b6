import { fieldErrors, isApiError } from '@/lib/client-api';

/** "must be at least 10 characters" on `password` → "Password must be at least 10 characters." */
export function sentence(label: string, message: string): string {
  const text = /^(must|is|should|cannot|can't)\b/i.test(message) ? `${label} ${message}` : message;
  const capital = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The API's field errors of a 400, in sentences keyed by field (labels from `labels`). */
export function apiFieldErrors(error: unknown, labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors(error))) {
    const name = field.split('.').at(-1) ?? field;
    out[name] = sentence(labels[name] ?? name, message);
  }
  return out;
}

/** A same-site path to go to after signing in (never another site). */
export function safeNext(next: string | null | undefined, fallback = '/account'): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

export function errorText(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (!isApiError(error)) return fallback;
  if (error.isNetworkError) return error.detail;
  return error.detail || fallback;
}

export const PASSWORD_RULE = 'At least 10 characters. A passphrase of a few words is easy to remember.';
export const PASSWORD_MIN = 10;
