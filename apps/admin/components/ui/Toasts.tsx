'use client';

import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';
import { isApiError } from '@/lib/api';
import styles from './Toasts.module.css';

type Tone = 'success' | 'danger' | 'info';
interface Toast {
  id: number;
  tone: Tone;
  text: string;
}

interface ToastApi {
  notify(text: string, tone?: Tone): void;
  /** Says what went wrong in the API's words (its `detail`), or a generic line. */
  fail(error: unknown, fallback?: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToasts outside <ToastProvider>');
  return value;
}

let nextId = 1;

/** Short-lived messages in a polite live region, so screen readers hear them too. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const notify = useCallback((text: string, tone: Tone = 'success') => {
    const id = nextId++;
    setToasts((list) => [...list.slice(-3), { id, tone, text }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), tone === 'danger' ? 8000 : 4000);
  }, []);
  const fail = useCallback(
    (error: unknown, fallback = 'That did not work.') =>
      notify(isApiError(error) ? error.detail : fallback, 'danger'),
    [notify],
  );
  return (
    <ToastContext.Provider value={{ notify, fail }}>
      {children}
      <div className={styles.region} aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`${styles.toast} ${styles[toast.tone]}`} role="status">
            {toast.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
