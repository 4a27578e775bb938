import { createTestApp, ProviderOverride, TestApp } from './app';

export type { ProviderOverride };

/** createTestApp with providers replaced, e.g. the HTTP_RESOLVER DNS hook with a stub. */
export function createTestAppWithOverrides(overrides: ProviderOverride[], env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp(env, overrides);
}
