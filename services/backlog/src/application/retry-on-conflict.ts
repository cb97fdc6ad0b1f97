import { WrongExpectedVersionError } from '../event-store/event-store.types';

/**
 * Runs `work` again while another writer got to the stream first (a WrongExpectedVersionError), at
 * most `attempts` times in all: the command then decides on the state that writer left. Any other
 * error, or a conflict on the last attempt, reaches the caller.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= attempts) throw error;
    }
  }
}
