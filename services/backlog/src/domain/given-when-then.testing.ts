import { DomainError } from './domain-error';

/**
 * emmett-style specs: given past events, when a command, then the new events or the refusal.
 */
export function specFor<S, C, E>(
  decide: (s: S | null, c: C) => E[],
  evolve: (s: S | null, e: E) => S,
) {
  return (given: E[]) => ({
    when: (command: C) => {
      const run = () =>
        decide(
          given.reduce<S | null>((s, e) => evolve(s, e), null),
          command,
        );
      return {
        then: (expected: E[]) => expect(run()).toEqual(expected),
        thenRejects: (code: string) => {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe(code);
            return;
          }
          throw new Error(`expected the command to be refused with ${code}`);
        },
      };
    },
  });
}
