/**
 * Which Chromium the browser suites drive, in this order:
 *
 * 1. LEAKLAB_CHROMIUM, when it names a binary (CI and Debian set-ups may point anywhere);
 * 2. Debian's /usr/bin/chromium (`apt-get install chromium`): the one CI installs and uses;
 * 3. Playwright's own Chromium, if `npx playwright install chromium` has put one in its cache;
 * 4. the Chromium that the npm package @sparticuz/chromium ships inside itself (Linux only),
 *    installed on demand into node_modules/.cache/leaklab/ from the lockfile beside this file.
 *
 * LEAKLAB_CHROMIUM=npm skips 1–3: the way to test the last resort on a machine that has the others.
 *
 * Why on demand and not a devDependency: it is ~75 MB that only `npm test` on a machine without a
 * browser needs; as a devDependency every learner's `npm install` would download it (and print an
 * engine warning on Node 20, which the package does not list). Installed from its own lockfile,
 * the version and the integrity hashes are pinned all the same.
 *
 * The npm build is launched with the same flags as the others. Its package suggests
 * --single-process for serverless machines, but Playwright opens a browser context per test, and
 * in one process closing the first context closes the browser (measured here: the next newPage
 * fails); as several processes it runs every browser suite.
 *
 * `node --import tsx scripts/ci/chromium.ts` makes sure a Chromium is there (installing the npm one
 * if needed) and prints its path on stdout; scripts/test.sh runs it first, so a missing browser
 * is found in the first seconds, not after the slow suites. playwright.config.ts calls
 * findChromium() to pick the binary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The committed package.json + package-lock.json that pin the npm Chromium. */
const PINNED = path.join(ROOT, 'scripts', 'ci', 'npm-chromium');
const NPM_PACKAGE = '@sparticuz/chromium';
const NPM_VERSION = '153.0.0';
/** Where it is installed and unpacked: inside node_modules, so `rm -rf node_modules` removes it too. */
export const NPM_CHROMIUM_DIR = path.join(ROOT, 'node_modules', '.cache', 'leaklab', `npm-chromium-${NPM_VERSION}`);
/** The package unpacks its binary into os.tmpdir(); we point that at our own folder. */
const UNPACKED = path.join(NPM_CHROMIUM_DIR, 'unpacked');
const NPM_BINARY = path.join(UNPACKED, 'chromium');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export type ChromiumSource = 'LEAKLAB_CHROMIUM' | 'Debian' | 'Playwright' | 'npm';

export interface Chromium {
  executablePath: string;
  source: ChromiumSource;
}

/** What `findChromium` answers when nothing is installed yet, and why. */
export class NoChromium extends Error {}

/** The Chromium to use, without installing anything; undefined when only the npm one could be used and it is not there yet. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): Chromium | undefined {
  const wanted = env.LEAKLAB_CHROMIUM;
  if (wanted && wanted !== 'npm') {
    if (!existsSync(wanted)) throw new NoChromium(`LEAKLAB_CHROMIUM=${wanted}, but there is no such file. Point it at a Chromium binary, or unset it.`);
    return { executablePath: wanted, source: 'LEAKLAB_CHROMIUM' };
  }
  if (wanted !== 'npm') {
    if (process.platform === 'linux' && existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: 'Debian' };
    const playwrights = playwrightChromium();
    if (playwrights) return { executablePath: playwrights, source: 'Playwright' };
  }
  if (existsSync(NPM_BINARY)) return { executablePath: NPM_BINARY, source: 'npm' };
  return undefined;
}

/** Playwright's own download (`npx playwright install chromium`), if there is one. */
function playwrightChromium(): string | undefined {
  try {
    // playwright-core is a dependency of @playwright/test; asking it costs no download.
    const probe = spawnSync(process.execPath, ['-e', "import('playwright-core').then((m) => process.stdout.write(m.chromium.executablePath()))"], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const file = probe.stdout.trim();
    return file && existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Find a Chromium, installing and unpacking the npm one when there is no other. */
export async function ensureChromium(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<Chromium> {
  const found = findChromium(env);
  if (found) return found;
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
    throw new NoChromium(`No Chromium found, and ${NPM_PACKAGE} ships one for Linux only. Run \`npx playwright install chromium\`, or set LEAKLAB_CHROMIUM to a Chromium binary.`);
  }
  const installed = path.join(NPM_CHROMIUM_DIR, 'node_modules', ...NPM_PACKAGE.split('/'), 'build', 'index.js');
  if (!existsSync(installed)) {
    log(`${env.LEAKLAB_CHROMIUM === 'npm' ? 'LEAKLAB_CHROMIUM=npm' : 'no system Chromium'}: installing ${NPM_PACKAGE}@${NPM_VERSION} (~75 MB, once) into ${path.relative(ROOT, NPM_CHROMIUM_DIR)}`);
    mkdirSync(NPM_CHROMIUM_DIR, { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(PINNED, file), path.join(NPM_CHROMIUM_DIR, file));
    // --loglevel=error: the package lists Node ≥ 22.17 and npm warns on Node 20, where it works (measured).
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: NPM_CHROMIUM_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  log(`unpacking its Chromium into ${path.relative(ROOT, UNPACKED)}`);
  mkdirSync(UNPACKED, { recursive: true });
  // A child process, because the package reads os.tmpdir() (TMPDIR) to decide where to unpack.
  const unpack = `import(${JSON.stringify(pathToFileURL(installed).href)}).then(async (m) => process.stdout.write(await m.default.executablePath()))`;
  const printed = execFileSync(process.execPath, ['-e', unpack], { env: { ...process.env, TMPDIR: UNPACKED }, encoding: 'utf8' }).trim();
  if (path.resolve(printed) !== NPM_BINARY) throw new NoChromium(`${NPM_PACKAGE} unpacked its Chromium to ${printed}, expected ${NPM_BINARY}.`);
  return { executablePath: NPM_BINARY, source: 'npm' };
}

/** Run as a script: print the path (stdout) and what was chosen (stderr). */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const chromium = await ensureChromium(process.env, (line) => process.stderr.write(`  chromium  ${line}\n`));
    const how = { LEAKLAB_CHROMIUM: 'from LEAKLAB_CHROMIUM', Debian: "Debian's", Playwright: "Playwright's own", npm: `from npm (${NPM_PACKAGE}@${NPM_VERSION})` }[chromium.source];
    process.stderr.write(`  chromium  ${chromium.executablePath} (${how})\n`);
    process.stdout.write(`${chromium.executablePath}\n`);
  } catch (error) {
    if (!(error instanceof NoChromium)) throw error;
    process.stderr.write(`  chromium  ${error.message}\n`);
    process.exit(1);
  }
}
