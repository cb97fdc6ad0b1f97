/**
 * Old event shapes are upgraded on read, never rewritten in the store. Each upcaster lifts one
 * (type, schemaVersion) to the next version; reading applies them in a chain up to the current one.
 */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly current = new Map<string, number>();

  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    this.upcasters.set(`${type}@${fromVersion}`, upcaster);
    this.current.set(type, Math.max(this.current.get(type) ?? 1, fromVersion + 1));
    return this;
  }

  currentVersion(type: string): number {
    return this.current.get(type) ?? 1;
  }

  upcast(
    type: string,
    schemaVersion: number,
    data: Record<string, unknown>,
  ): { schemaVersion: number; data: Record<string, unknown> } {
    let version = schemaVersion;
    let value = data;
    for (
      let next = this.upcasters.get(`${type}@${version}`);
      next;
      next = this.upcasters.get(`${type}@${version}`)
    ) {
      value = next(value);
      version++;
    }
    return { schemaVersion: version, data: value };
  }
}
