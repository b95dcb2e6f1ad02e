// A bench's helper process: spawned with its stdout read line by line and its stdin written to.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Spawns `node file ...args`; `line()` resolves with the next line it prints. */
export function startChild(file, args = [], options = {}) {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = [];
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code) => {
      for (const waiter of waiting.splice(0)) waiter.reject(new Error(`${file} exited with ${code}`));
      resolve(code);
    });
  });
  return {
    line: () =>
      lines.length > 0
        ? Promise.resolve(lines.shift())
        : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
    send: (line) => child.stdin.write(`${line}\n`),
    close: () => {
      child.stdin.end();
      return exited;
    },
  };
}
