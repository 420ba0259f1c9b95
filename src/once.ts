/**
 * A loader run on its first call, its promise shared by every later call; a failed load is tried again by
 * the next call rather than remembered (a provider module or a library loaded on first use).
 */
export function onceAsync<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
