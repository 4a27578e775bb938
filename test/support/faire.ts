/** A Faire order as its ORDER_* webhooks carry it (the shape the faire adapter normalises). */
export function faireOrder(orderId: string, brandId: string): Record<string, unknown> {
  return {
    id: orderId,
    display_id: 'WZ8XQ2NJ',
    state: 'NEW',
    brand_id: brandId,
    retailer_id: 'r_7hq2k1vd3a',
    created_at: '2025-03-14T16:02:11.000Z',
    updated_at: '2025-03-14T16:02:11.000Z',
    items: [
      {
        id: 'oi_1',
        product_id: 'p_mug',
        product_option_id: 'po_mug_blue',
        sku: 'MUG-BLU',
        product_name: 'Mug',
        quantity: 12,
        price: { amount_minor: 1200, currency: 'USD' },
      },
    ],
    address: {
      name: 'Jordan Ellis',
      address1: '118 Main St',
      city: 'Hudson',
      state_code: 'NY',
      postal_code: '12534',
      country_code: 'USA',
    },
    shipments: [],
  };
}
