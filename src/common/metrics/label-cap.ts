/** The label value every value past the cap (or unknown to the caller) collapses to. */
export const OTHER_LABEL = 'other';

/**
 * Bounds one label's set of values: the first `max` distinct values are kept, every later one is `other`.
 * With every label bounded, a metric's series count is bounded by the product of the caps, whatever clients send.
 */
export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.max) return OTHER_LABEL;
    this.seen.add(raw);
    return raw;
  }
}
