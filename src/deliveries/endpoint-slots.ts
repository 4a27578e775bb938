/**
 * Per-endpoint concurrency cap for one worker process. Work over the cap is parked here (in order) instead of
 * holding a queue slot, so a slow endpoint cannot starve the others. Parked work is only a hint: the delivery
 * row stays due in Postgres, so a crash loses nothing (the reconciler queues it again).
 */
export class EndpointSlots {
  private readonly lanes = new Map<string, { active: number; parked: string[]; parkedSet: Set<string> }>();

  constructor(
    private readonly capPerEndpoint: number,
    private readonly maxParkedPerEndpoint = 10_000,
  ) {}

  tryAcquire(endpointId: string): boolean {
    const lane = this.lane(endpointId);
    if (lane.active >= this.capPerEndpoint) return false;
    lane.active += 1;
    return true;
  }

  /** Parks a delivery to run when a slot frees; false when the park is full (the row stays due). */
  park(endpointId: string, deliveryId: string): boolean {
    const lane = this.lane(endpointId);
    if (lane.parkedSet.has(deliveryId)) return true;
    if (lane.parked.length >= this.maxParkedPerEndpoint) return false;
    lane.parked.push(deliveryId);
    lane.parkedSet.add(deliveryId);
    return true;
  }

  /** Frees a slot; returns the next parked delivery, which now holds the freed slot. */
  release(endpointId: string): string | null {
    const lane = this.lanes.get(endpointId);
    if (!lane) return null;
    const next = lane.parked.shift();
    if (next !== undefined) {
      lane.parkedSet.delete(next);
      return next;
    }
    lane.active -= 1;
    if (lane.active <= 0) this.lanes.delete(endpointId);
    return null;
  }

  active(endpointId: string): number {
    return this.lanes.get(endpointId)?.active ?? 0;
  }

  parkedCount(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.parked.length;
    return n;
  }

  private lane(endpointId: string): { active: number; parked: string[]; parkedSet: Set<string> } {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = { active: 0, parked: [], parkedSet: new Set() };
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }
}
