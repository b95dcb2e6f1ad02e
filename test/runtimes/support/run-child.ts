// Runs one runtime as a child process with a hard time limit, so a hung runtime fails its test and
// leaves no process behind.
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `command args…` in `cwd`; SIGKILLs it after `timeoutMs` and rejects with what it printed. */
export function runChild(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs: number },
): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ran past ${options.timeoutMs} ms and was killed.\n${stdout}\n${stderr}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A server child: the first line it printed, and how to stop it. */
export interface ServerChild {
  firstLine: string;
  /** SIGTERM, then SIGKILL after 2 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a child that serves until stopped, and resolves with the first line it prints (its port).
 * A child that exits first, or prints nothing within `timeoutMs`, is killed and rejects with its output.
 */
export function startServerChild(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs: number },
): Promise<ServerChild> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    }
  };
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let started = false;
    const fail = (reason: string) => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${command} ${reason}.\n${stdout}\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`printed no line within ${options.timeoutMs} ms`), options.timeoutMs);
    child.on('error', (error) => fail(`failed to start: ${error.message}`));
    child.on('close', (code) => fail(`exited with ${code} before printing a line`));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (started || newline === -1) return;
      started = true;
      clearTimeout(timer);
      resolve({ firstLine: stdout.slice(0, newline), stop });
    });
  });
}
