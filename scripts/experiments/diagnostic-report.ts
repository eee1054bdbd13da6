/**
 * Node's diagnostic report: one JSON file with the JavaScript and native stacks, the heap's spaces
 * and limit, resource usage, libuv handles and the environment. --report-on-fatalerror writes one
 * when the process dies of out-of-memory; --report-on-signal writes one on SIGUSR2 and the process
 * goes on. Unlike a heap snapshot it takes milliseconds and a few KiB. The experiment also reads
 * what it contains that a snapshot does not (the environment variables), its file mode under the
 * usual umask, and what happens when --report-directory does not exist.
 *
 *   node --import tsx scripts/experiments/diagnostic-report.ts
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';
import { removeScratch, scratchDir } from './lib/output-dir.ts';
import { answers, filesIn, modeOf, startTarget, stopTarget, waitForNewFile } from './lib/signal-snapshots.ts';

const leakingSubject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

interface NodeReport {
  header: { event: string; trigger: string };
  javascriptStack?: { message?: string };
  javascriptHeap: { memoryLimit: number; heapSpaces: Record<string, unknown> };
  libuv: unknown[];
  environmentVariables: Record<string, string>;
}

/** The report files in `dir`. */
const reportsIn = (dir: string) => filesIn(dir, '.json').filter((name) => name.startsWith('report.'));

process.umask(0o022);
const dir = scratchDir('diagnostic-report');
try {
  // 1. On an out-of-memory crash. A marker variable shows the environment is in the file.
  const crashDir = join(dir, 'crash');
  mkdirSync(crashDir);
  const crash = await runNode(['--max-old-space-size=64', '--report-on-fatalerror', `--report-directory=${crashDir}`, '--import', tsx, leakingSubject], {
    env: { ...process.env, LEAKLAB_SECRET_MARKER: 'visible-in-the-report' },
    timeoutMs: 120_000,
  });
  const [crashFile] = reportsIn(crashDir);
  const crashReport = crashFile ? (JSON.parse(readFileSync(join(crashDir, crashFile), 'utf8')) as NodeReport) : null;

  // 2. On a signal, from a running server.
  const signalDir = join(dir, 'signal');
  mkdirSync(signalDir);
  const server = await startTarget(['--report-on-signal', `--report-directory=${signalDir}`]);
  let signalFile: string | null = null;
  let answeredAfter = false;
  try {
    server.child.kill('SIGUSR2');
    signalFile = await waitForNewFile(signalDir, 0, '.json', 15_000);
    answeredAfter = await answers(server);
  } finally {
    await stopTarget(server);
  }

  // 3. --report-directory that does not exist.
  const missing = join(dir, 'not-created');
  const noDir = await startTarget(['--report-on-signal', `--report-directory=${missing}`]);
  let stderr = '';
  noDir.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let answeredWithoutDir = false;
  try {
    noDir.child.kill('SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    answeredWithoutDir = await answers(noDir);
  } finally {
    await stopTarget(noDir);
  }

  // 4. What writing one costs, in this process.
  const started = performance.now();
  const ownFile = process.report.writeReport(join(dir, 'report.own.json'));
  const writeMs = Math.round((performance.now() - started) * 10) / 10;

  report(
    {
      onFatalError: {
        exitSignal: crash.signal,
        written: crashReport !== null,
        event: crashReport?.header.event ?? null,
        trigger: crashReport?.header.trigger ?? null,
        heapSpaces: crashReport ? Object.keys(crashReport.javascriptHeap.heapSpaces).length : 0,
        memoryLimitMiB: crashReport ? crashReport.javascriptHeap.memoryLimit / 1024 / 1024 : null,
        hasEnvironment: crashReport?.environmentVariables.LEAKLAB_SECRET_MARKER === 'visible-in-the-report',
        fileKiB: crashFile ? Math.round(statSync(join(crashDir, crashFile)).size / 1024) : null,
        mode: crashFile ? modeOf(join(crashDir, crashFile)) : null,
      },
      onSignal: { written: signalFile !== null, answeredAfter },
      missingDirectory: {
        message: /Failed to open Node\.js report file/.test(stderr),
        answeredAfter: answeredWithoutDir,
        folderCreated: readdirSync(dir).includes('not-created'),
      },
      writeMs,
      ownFileKiB: Math.round(statSync(ownFile).size / 1024),
    },
    `on OOM: ${crashReport ? `"${crashReport.header.event}"` : 'no report'}; on SIGUSR2: ${signalFile !== null}, still answering ${answeredAfter}; ` +
      `missing folder: still answering ${answeredWithoutDir}; a report took ${writeMs} ms`,
  );
} finally {
  removeScratch(dir);
}
