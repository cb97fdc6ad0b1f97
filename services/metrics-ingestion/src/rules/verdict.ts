import type { EventWindow, Severity } from '@fulcrum/contracts';

/**
 * What one evaluation of a rule concluded. `breach` opens or escalates an incident; `clear` counts
 * toward resolving it (after the cooldown); `hold` is the hysteresis band that does neither;
 * `unknown` means too little data to judge (low traffic never pages).
 */
export type Verdict =
  | {
      status: 'breach';
      severity: Severity;
      observed: number;
      threshold: number;
      window: EventWindow;
      evidence: Record<string, unknown>;
    }
  | {
      status: 'clear' | 'hold';
      observed: number;
      threshold: number;
      window: EventWindow;
      evidence: Record<string, unknown>;
    }
  | { status: 'unknown' };

export const UNKNOWN: Verdict = { status: 'unknown' };

export function isoWindow(startMs: number, endMs: number): EventWindow {
  return { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
}
