import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildService {
  process: ChildProcess;
  /** Everything the child wrote so far (stdout + stderr). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a Node script as a separate OS process and waits until it prints `readyLine` (or fails
 * with its output when it exits or times out first).
 */
export async function runChildService(options: {
  script: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  readyLine: string | RegExp;
  timeoutMs?: number;
  execArgv?: string[];
}): Promise<ChildService> {
  const child = spawn(
    process.execPath,
    [...(options.execArgv ?? []), options.script, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const matches = () =>
    typeof options.readyLine === 'string' ? out.includes(options.readyLine) : options.readyLine.test(out);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${options.script} not ready within ${options.timeoutMs ?? 20000} ms:\n${out}`));
    }, options.timeoutMs ?? 20000);
    const onData = () => {
      if (matches()) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child ${options.script} exited with ${code} before ready:\n${out}`));
    });
  });
  return {
    process: child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
