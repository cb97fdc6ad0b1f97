/**
 * Runs `work` over every item with at most `limit` calls in flight, and returns the results in
 * the items' order. Round trips to a server overlap instead of queueing one after another; the
 * limit keeps one caller from taking the whole connection pool.
 */
export async function inFlight<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
