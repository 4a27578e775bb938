import DataLoader from 'dataloader';

/** Loads the values of many keys of one tenant at once: one query, whose result maps each key to its value. */
export type TenantBatch<V> = (tenantId: string, keys: readonly string[]) => Promise<ReadonlyMap<string, V>>;

/** The most keys one batch sends to the database; a larger page is split into batches of this size. */
export const MAX_BATCH_KEYS = 500;

/**
 * Per-operation DataLoaders: field resolvers of one operation (N endpoints' stats, N deliveries' attempts) that
 * run in the same tick share one query. A loader is scoped by its name, the tenant and any arguments, so one
 * batch never mixes tenants and every query carries the tenant id. Nothing is cached beyond the batch: a
 * subscription keeps its context for its whole life, and a cached value would go stale between pushes.
 */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  load<V>(name: string, tenantId: string, key: string, batch: TenantBatch<V>, scope = ''): Promise<V> {
    const id = `${name}\u0000${tenantId}\u0000${scope}`;
    let loader = this.loaders.get(id) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(
        async (keys) => {
          const found = await batch(tenantId, [...new Set(keys)]);
          return keys.map((k) => found.get(k) as V);
        },
        { cache: false, maxBatchSize: MAX_BATCH_KEYS },
      );
      this.loaders.set(id, loader as DataLoader<string, unknown>);
    }
    return loader.load(key);
  }
}
