import { FaireAdapter } from './faire/faire.adapter';
import { GenericAdapter } from './generic/generic.adapter';
import type { ProviderAdapter } from './provider-adapter';
import { TemuAdapter } from './temu/temu.adapter';

export * from './provider-adapter';

/** Every inbound provider by name; a new provider is a folder plus one entry here. */
export const PROVIDER_ADAPTERS: ReadonlyMap<string, ProviderAdapter> = new Map<string, ProviderAdapter>(
  [new FaireAdapter(), new TemuAdapter(), new GenericAdapter()].map((adapter) => [adapter.provider, adapter]),
);

export function getProviderAdapter(name: string): ProviderAdapter | undefined {
  return PROVIDER_ADAPTERS.get(name);
}
