// The processes the city-scale benchmark measures: OneWindow's own server (server/main.ts, as `npm start`
// runs it, in production mode) and the bare stack beside it, each in its own process on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Running {
  url: string;
  pid: number;
  /** From spawning the process to its first answered request (ms). */
  startMs: number;
  /** The most memory the process has held resident so far (Linux VmHWM), in bytes; null elsewhere. */
  peakRss(): number | null;
  /** The CPU time the process has used so far, all its threads, user and system (Linux /proc), in ms; null elsewhere. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function peakRssOf(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Clock ticks a second, as /proc counts CPU time (USER_HZ: 100 on every Linux build in use). */
const ticksPerSecond = 100;

function cpuMsOf(pid: number): number | null {
  try {
    // The command's name, in parentheses, may hold spaces: the fields are counted after it.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Polls `url` until it answers 200, or the process ends or `timeoutMs` passes. */
async function firstAnswer(child: ChildProcess, url: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} after ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function start(args: string[], env: NodeJS.ProcessEnv, port: number, healthPath: string): Promise<Running> {
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()).length > 20_000 && (output = output.slice(-10_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()).length > 20_000 && (output = output.slice(-10_000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await firstAnswer(child, url + healthPath, 120_000, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const startMs = performance.now() - started;
  return {
    url,
    pid: child.pid!,
    startMs,
    peakRss: () => peakRssOf(child.pid!),
    cpuMs: () => cpuMsOf(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The server's Node arguments as `npm start` gives them (package.json), so that what is measured is what runs. */
export function npmStartArgs(): string[] {
  const start = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const server = start.split('&&').map((command) => command.trim().split(/\s+/)).find((words) => words.includes('server/main.ts'));
  if (!server || server[0] !== 'node') throw new Error(`package.json's start script does not run "node … server/main.ts": ${start}`);
  return server.slice(1);
}

/** OneWindow on `databasePath`, in production mode (no demo data), logging warnings only. */
export async function startOneWindow(databasePath: string): Promise<Running> {
  const port = await freePort();
  const env = { NODE_ENV: 'production', SESSION_SECRET: randomBytes(32).toString('hex'), DATABASE_PATH: databasePath, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' };
  // BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server through a run.
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return start([...flags, ...npmStartArgs()], env, port, '/api/health');
}

/** The bare stack (bare-stack.ts) on its own database file. */
export async function startBareStack(databasePath: string): Promise<Running> {
  const port = await freePort();
  return start(['--import', 'tsx', join('scripts', 'bench', 'city-scale', 'bare-stack.ts'), databasePath, String(port)], {}, port, '/health');
}
