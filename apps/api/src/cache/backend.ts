/** Where cached responses live: this process (default) or Redis shared by every API task. */
export interface CacheBackend {
  readonly name: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Atomically increments a counter and returns the new value. */
  incr(key: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
