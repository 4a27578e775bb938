/** The order.created payload the benchmark and the soak publish (~1 KB as a webhook body). */
export interface OrderPayload {
  shop_id: string;
  bench: { sentAt: number; seq: number };
  order: Record<string, unknown>;
}

export function orderPayload(seq: number, sentAt: number): OrderPayload {
  const items = [0, 1, 2].map((i) => ({
    id: `li_${seq}_${i}`,
    sku: `SKU-${10_000 + ((seq + i) % 5_000)}`,
    quantity: 1 + ((seq + i) % 3),
    name: `Stoneware mug, glaze ${i}`,
    unit_price: 18.5 + i,
    total: (18.5 + i) * (1 + ((seq + i) % 3)),
  }));
  return {
    shop_id: 'shop_bench',
    bench: { sentAt, seq },
    order: {
      id: `ord_${seq}`,
      number: String(100_000 + seq),
      status: 'paid',
      currency: seq % 2 === 0 ? 'USD' : 'EUR',
      subtotal: 128.5,
      shipping_total: 8,
      tax_total: 17.7,
      total: 154.2,
      line_items: items,
      customer: { id: `cus_${seq % 977}`, email: 'ada@example.com', name: 'Ada Lovelace', phone: null },
      shipping_address: {
        name: 'Ada Lovelace',
        line1: '12 Analytical Row',
        city: 'London',
        postal_code: 'N1 9GU',
        country: 'GB',
      },
      created_at: '2025-03-14T16:02:11Z',
    },
  };
}

/** The webhook body as Hookline builds it ({id, type, timestamp, data}), for the limit measurements. */
export function webhookBody(id: string, seq: number): string {
  return JSON.stringify({ id, type: 'order.created', timestamp: new Date().toISOString(), data: orderPayload(seq, 0) });
}

/**
 * A three-leaf filter that every published payload passes (total 154.2, USD or EUR, SKU- skus), so the
 * filtered run delivers exactly as much as the unfiltered one and only the evaluation cost differs.
 */
export const THREE_LEAF_FILTER = {
  logic: 'AND',
  conditions: [
    { query: '$.order.total', condition: '(v) => v > 10' },
    { query: '$.order.currency', condition: '(v) => ["USD", "EUR"].includes(v)' },
    { query: '$.order.line_items[*].sku', condition: '(skus) => skus.some(s => s.startsWith("SKU-"))' },
  ],
};
