/**
 * A journey is one test whose parts share what earlier parts created; `step(name)` marks where it
 * is, so a failure names the step it happened in ("[step: the ceremony] expect(…)") instead of
 * only a line in a long test.
 */
export function journey(
  body: (step: (name: string) => void) => Promise<void>,
): () => Promise<void> {
  return async () => {
    let current = 'setting up';
    try {
      await body((name) => (current = name));
    } catch (error) {
      if (error instanceof Error) {
        const named = `[step: ${current}] ${error.message}`;
        if (error.stack) error.stack = error.stack.replace(error.message, named);
        error.message = named;
      }
      throw error;
    }
  };
}
