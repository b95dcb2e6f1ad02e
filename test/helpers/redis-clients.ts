// Connected `redis` (node-redis) and `ioredis` clients for the Redis tests and their child
// processes, set up the way the README advises: quick reconnects, errors listened to.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { RedisCommandClient } from '../../src/server/redis-rate-limiter';

export type ClientKind = 'redis' | 'ioredis';
export const clientKinds: ClientKind[] = ['redis', 'ioredis'];

export interface TestClient {
  client: RedisCommandClient;
  /** Runs a raw command, for checking what the limiter stored. */
  command(...args: string[]): Promise<unknown>;
  quit(): Promise<void>;
}

export async function connectClient(kind: ClientKind, url: string): Promise<TestClient> {
  if (kind === 'redis') {
    const client = createClient({ url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
    return {
      client,
      command: (...args) => client.sendCommand(args),
      quit: async () => {
        client.destroy();
      },
    };
  }
  const client = new Redis(url, { retryStrategy: () => 50, lazyConnect: true });
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    command: (command, ...args) => client.call(command!, ...args),
    quit: async () => {
      client.disconnect();
    },
  };
}
