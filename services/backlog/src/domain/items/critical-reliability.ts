/**
 * The one definition of a critical reliability concern: a critical incident, or one that blocks a
 * model's adoption. Deferring such an item needs a rationale, a ceremony brief lists it first, the
 * overdue gauge watches the oldest one nobody took on, and it zeroes its model's health.
 */
export function isCriticalReliability(link: {
  severity: string;
  blocksAdoption: boolean;
}): boolean {
  return link.severity === 'critical' || link.blocksAdoption;
}
