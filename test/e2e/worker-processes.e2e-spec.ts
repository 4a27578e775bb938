/**
 * WORKER_PROCESSES: one APP_ROLE=worker process starts and supervises that many worker processes, restarts one
 * that dies, and on SIGTERM drains them all and exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectReceived } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const ORDER = (id: string) => ({ order: { id, status: 'paid', currency: 'USD', total: 1, line_items: [] } });

/** The pids of the worker processes that logged their start. */
function workerPids(p: AppProcess): Set<number> {
  const pids = new Set<number>();
  for (const line of p.output().split('\n')) {
    if (!line.includes('"worker started"')) continue;
    const pid = (JSON.parse(line) as { pid?: number }).pid;
    if (pid) pids.add(pid);
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('WORKER_PROCESSES', () => {
  const processes: AppProcess[] = [];
  let receiver: Receiver | undefined;
  // Where the supervisor is started: not the repository (see below).
  const elsewhere = mkdtempSync(join(tmpdir(), 'hookline-wp-'));

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await receiver?.close();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('starts that many workers that share the work, replaces one that dies, and drains them all on SIGTERM', async () => {
    receiver = await Receiver.start((_req, res) => {
      setTimeout(() => res.writeHead(200).end('ok'), 20);
    });
    const env = {
      QUEUE_PREFIX: `wp${Date.now().toString(36)}`,
      WORKER_PROCESSES: '2',
      RECONCILE_INTERVAL_MS: '600000',
    };
    const api = await startAppProcess('api', env);
    processes.push(api);
    // Started from another directory, as a deployment may: each worker it forks must still find its loader and
    // the project's tsconfig.json (a child once looked for them in the working directory and never came up).
    const supervisor = await startAppProcess(
      'worker',
      { ...env, DATA_DIR: join(process.cwd(), '.data') },
      60_000,
      elsewhere,
    );
    processes.push(supervisor);
    await waitUntil(async () => workerPids(supervisor).size === 2, 60_000, 100);
    const first = [...workerPids(supervisor)];
    expect(first).not.toContain(supervisor.child.pid);

    const token = adminToken({ tenantId: newTenantId() });
    const created = dataOf(
      await gql(`${api.url}/graphql`, CREATE, { input: { url: receiver.url } }, token),
    ).createEndpoint;
    const eventIds: string[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const inputs = Array.from({ length: 100 }, (_, i) => ({
        eventType: 'order.created',
        payload: ORDER(`wp${batch}-${i}`),
      }));
      const published = dataOf(await gql(`${api.url}/graphql`, PUBLISH_MANY, { inputs }, token)).publishEvents;
      eventIds.push(...published.map((e: { id: string }) => e.id));
    }
    await receiver.waitFor(300, 30_000);
    expectReceived(receiver.requests, created.secret, eventIds);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(300);

    // One worker dies: the supervisor starts another in its place, and keeps running itself.
    process.kill(first[0], 'SIGKILL');
    await waitUntil(async () => workerPids(supervisor).size === 3, 60_000, 100);
    expect(supervisor.child.exitCode).toBeNull();
    expect(supervisor.output()).toContain('worker process died; starting another');
    const running = [...workerPids(supervisor)].filter(alive);
    expect(running).toHaveLength(2);

    // SIGTERM to the supervisor: every worker drains and exits, then the supervisor exits 0.
    expect(await supervisor.kill('SIGTERM')).toBe(0);
    await waitUntil(async () => running.every((pid) => !alive(pid)), 10_000, 100);
  }, 180_000);
});
