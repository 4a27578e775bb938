/**
 * Webhook receivers for the benchmark and the soak, in a process of their own so that they get a core of their
 * own as a real receiver would, instead of sharing the event loop of the client being measured.
 * Forked by receivers.ts; answers its questions over IPC. Every healthy receiver answers 200 at once; a
 * "hold" receiver accepts the request and never answers (the client's deadline ends it).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ReceiverReply, ReceiverRequest, ReceiverSpec, ReceiverStats } from './receivers';

const now = (): number => performance.timeOrigin + performance.now();
const SENT_AT = /"sentAt":(\d+(?:\.\d+)?)/;
const OK_BODY = '{"ok":true}';

interface Slot {
  server: Server;
  url: string;
  hold: boolean;
  received: number;
  ids: Map<string, number> | null;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ReceiverSpec;
const slots: Slot[] = [];
const sockets = new Set<Socket>();
const held = new Set<ServerResponse>();
let connections = 0;
let total = 0;
let firstAt = 0;
let lastAt = 0;
let latencies: number[] = [];

function listen(hold: boolean): Promise<Slot> {
  const slot: Slot = { server: createServer(), url: '', hold, received: 0, ids: spec.trackIds ? new Map() : null };
  slot.server.keepAliveTimeout = 60_000;
  slot.server.headersTimeout = 65_000;
  slot.server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  slot.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      slot.received += 1;
      if (slot.hold) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK_BODY.length }).end(OK_BODY);
      total += 1;
      if (firstAt === 0) firstAt = at;
      lastAt = at;
      const sentAt = SENT_AT.exec(Buffer.concat(chunks).toString('utf8'));
      if (sentAt) latencies.push(at - Number(sentAt[1]));
      if (slot.ids) {
        const id = req.headers['webhook-id'];
        if (typeof id === 'string') slot.ids.set(id, (slot.ids.get(id) ?? 0) + 1);
      }
    });
  });
  return new Promise((resolve) =>
    slot.server.listen(0, '127.0.0.1', () => {
      slot.url = `http://127.0.0.1:${(slot.server.address() as AddressInfo).port}/hook`;
      resolve(slot);
    }),
  );
}

function stats(): ReceiverStats {
  return {
    total,
    connections,
    firstAt,
    lastAt,
    perReceiver: slots.map((s) => s.received),
    openSockets: sockets.size,
    held: held.size,
  };
}

/** Per receiver: distinct webhook-ids, requests beyond the first per id, and which of `expected` never arrived. */
function audit(
  index: number,
  expected: string[],
): { distinct: number; duplicates: number; missing: number; missingSample: string[] } {
  const ids = slots[index]?.ids ?? new Map<string, number>();
  let duplicates = 0;
  for (const count of ids.values()) duplicates += count - 1;
  const missingIds = expected.filter((id) => !ids.has(id));
  return { distinct: ids.size, duplicates, missing: missingIds.length, missingSample: missingIds.slice(0, 10) };
}

function answer(request: ReceiverRequest): ReceiverReply['data'] {
  switch (request.type) {
    case 'stats':
      return stats();
    case 'latencies': {
      const taken = latencies;
      latencies = [];
      return taken;
    }
    case 'audit':
      return audit(request.index, request.expected);
  }
}

async function main(): Promise<void> {
  for (let i = 0; i < spec.healthy; i++) slots.push(await listen(false));
  for (let i = 0; i < spec.hold; i++) slots.push(await listen(true));
  process.on('message', (message: ReceiverRequest & { seq: number }) => {
    const reply: ReceiverReply = { seq: message.seq, data: answer(message) };
    process.send?.(reply);
  });
  process.on('disconnect', () => {
    for (const res of held) res.destroy();
    for (const socket of sockets) socket.destroy();
    for (const slot of slots) slot.server.close();
    process.exit(0);
  });
  process.send?.({ seq: 0, data: slots.map((s) => s.url) });
}

void main();
