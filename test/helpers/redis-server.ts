// A real redis-server for tests: started on a free loopback port with a temporary directory and no
// persistence, stopped (and restarted on the same port) on demand, removed after. `.ci/run` installs
// the `redis-server` package; locally it is /usr/bin/redis-server.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM) and waits until it has exited: clients now see Redis gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (no persistence). */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing answers. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

const binary = process.env.REDIS_SERVER ?? 'redis-server';

/** Starts a redis-server; rejects with the reason (e.g. the binary is missing) if it does not come up. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'chatwire-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = await spawnRedis(port, dir);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    close: async () => {
      child?.kill('SIGCONT');
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (data: Buffer) => {
      output += data;
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) =>
      reject(new Error(`could not start ${binary} (install the redis-server package): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`${binary} exited with ${code}: ${output.trim()}`)));
    // With loglevel warning nothing announces readiness, so poll the port with PING.
    const deadline = Date.now() + 10_000;
    const poll = () => {
      if (child.exitCode !== null) return;
      ping(port).then(
        () => resolve(child),
        () => {
          if (Date.now() > deadline) {
            child.kill('SIGKILL');
            reject(new Error(`${binary} did not answer on port ${port}: ${output.trim()}`));
          } else setTimeout(poll, 20);
        },
      );
    };
    poll();
  });
}

/** Resolves when a raw PING on the port gets `+PONG`. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      if (String(data).startsWith('+PONG')) resolve();
      else reject(new Error(String(data)));
    });
    socket.once('timeout', () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
