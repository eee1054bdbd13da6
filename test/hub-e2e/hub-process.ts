/**
 * The hub as `npm start` runs it (hub/main.ts), for the browser suites: on a free port, with a
 * scratch learner (its own workspace copies under output/, its own output folder for snapshots,
 * progress and backups) so that no suite touches the project's workspace/ or output/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface HubProcess {
  url: string;
  /** The learner's workspace and output folder this hub uses (LEAKLAB_WORKSPACE, LEAKLAB_OUTPUT). */
  workspace: string;
  output: string;
  /** The environment a CLI command needs to see the same learner. */
  env: NodeJS.ProcessEnv;
  /** SIGTERM (the hub stops its labs itself), then make sure the whole group is gone; removes the scratch folders. */
  stop(): Promise<void>;
}

export async function startHubProcess(): Promise<HubProcess> {
  const port = await freePort();
  mkdirSync(path.join(ROOT, 'output'), { recursive: true });
  const workspace = mkdtempSync(path.join(ROOT, 'output', 'test-workspace-'));
  const output = mkdtempSync(path.join(tmpdir(), 'leaklab-e2e-output-'));
  const env = { ...process.env, LEAKLAB_WORKSPACE: workspace, LEAKLAB_OUTPUT: output };
  const hub: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts'], {
    cwd: ROOT,
    env: { ...env, LEAKLAB_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own group: stop() kills the hub and anything it started
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    hub.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Leak Lab hub: (http:\/\/\S+?)\/?\s/.exec(out);
      if (match) resolve(match[1]!);
    });
    hub.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    hub.once('exit', (code) => reject(new Error(`npm start's hub exited (${code}) before listening:\n${out}`)));
  });
  return {
    url,
    workspace,
    output,
    env,
    async stop() {
      if (hub.pid && hub.exitCode === null) {
        const pid = hub.pid;
        process.kill(pid, 'SIGTERM');
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 8000);
          hub.once('exit', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(workspace, { recursive: true, force: true });
      rmSync(output, { recursive: true, force: true });
    },
  };
}
