import { LabelCap, OTHER_LABEL } from './label-cap';

describe('LabelCap', () => {
  it('keeps the first N distinct values and collapses every later one to "other"', () => {
    const cap = new LabelCap(3);
    expect(['a', 'b', 'a', 'c'].map((v) => cap.value(v))).toEqual(['a', 'b', 'a', 'c']);
    expect(cap.value('d')).toBe(OTHER_LABEL);
    expect(cap.value('a')).toBe('a');
    const many = Array.from({ length: 10_000 }, (_, i) => cap.value(`v${i}`));
    expect(new Set(many)).toEqual(new Set([OTHER_LABEL]));
  });
});
