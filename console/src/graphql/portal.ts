import type { Client, CombinedError } from 'urql';
import { SessionEnd } from '../session';

/**
 * What the signed-in credential may use, learnt from the API (nothing is decoded client-side): `channel` is set when
 * it is a portal session limited to one channel, which sees only that channel's endpoints and none of the
 * tenant-wide pages.
 */
export interface Viewer {
  channel: string | null;
}

const END_REASONS: ReadonlySet<string> = new Set([
  'PORTAL_SESSION_EXPIRED',
  'PORTAL_SESSION_ENDED',
  'PORTAL_SESSION_INVALID',
]);

/** The end of a portal session in an API answer: UNAUTHENTICATED with one of its three reasons. */
export function sessionEndOf(error: CombinedError | undefined): SessionEnd | null {
  for (const e of error?.graphQLErrors ?? []) {
    const ext = e.extensions ?? {};
    const reason = ext.reasonCode ?? ext.reason;
    if (ext.code === 'UNAUTHENTICATED' && typeof reason === 'string' && END_REASONS.has(reason)) {
      return {
        reason: reason as SessionEnd['reason'],
        message: e.message,
        errorId: typeof ext.errorId === 'string' ? ext.errorId : undefined,
      };
    }
  }
  return null;
}

/**
 * The probe: a cheap tenant-wide query (one tracked job by an id that names none). A channel-limited session is
 * refused it with FORBIDDEN OUTSIDE_CHANNEL_SCOPE, whose extensions name the channel; any other credential gets
 * null or NOT_FOUND (or FORBIDDEN for a missing permission) and sees the whole console. The schema has no "who am
 * I" query, and this needs none.
 */
const PROBE = 'query ConsoleViewer { trackedJob(id: "00000000-0000-0000-0000-000000000000") { id } }';

export type ProbeOutcome = { viewer: Viewer } | { end: SessionEnd } | { error: CombinedError };

export async function probeViewer(client: Client): Promise<ProbeOutcome> {
  const res = await client.query(PROBE, {}, { requestPolicy: 'network-only' }).toPromise();
  const end = sessionEndOf(res.error);
  if (end) return { end };
  const scoped = res.error?.graphQLErrors.find((e) => e.extensions?.reasonCode === 'OUTSIDE_CHANNEL_SCOPE');
  if (scoped) {
    const channel = scoped.extensions.channel;
    return { viewer: { channel: typeof channel === 'string' ? channel : '' } };
  }
  if (res.error && res.error.graphQLErrors.length === 0) return { error: res.error };
  return { viewer: { channel: null } };
}
