/** Polls until `check` passes (cache invalidation arrives by NOTIFY, a moment after commit). */
export async function eventually(check: () => Promise<void>, timeoutMs = 5_000) {
  const start = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
