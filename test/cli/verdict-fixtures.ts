/**
 * Test helpers for the CI reporters and the scoreboard: the recorded verdict files of a small
 * cohort (test/fixtures/verdicts/, real `check --all` runs recorded by scripts/ci/record-verdicts.ts),
 * the JUnit schema check, and a scratch copy of the course to run the real CLI on.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { readVerdictFile, type VerdictFile } from '../../cli/reporters/verdict-file.ts';
import { ROOT } from './cli-process.ts';

export const VERDICTS_DIR = path.join(ROOT, 'test', 'fixtures', 'verdicts');
const JUNIT_XSD = path.join(ROOT, 'test', 'cli', 'schemas', 'junit.xsd');

/** Every recorded verdict file, by file name (ada-1.json, …). */
export function recordedFiles(): Map<string, VerdictFile> {
  const files = new Map<string, VerdictFile>();
  for (const name of readdirSync(VERDICTS_DIR).filter((n) => n.endsWith('.json')).sort()) {
    files.set(name, readVerdictFile(path.join(VERDICTS_DIR, name)));
  }
  return files;
}

/** Validate JUnit XML against test/cli/schemas/junit.xsd with libxml2 (compiled to WebAssembly). */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: 'report.xml', contents: xml },
    schema: { fileName: 'junit.xsd', contents: readFileSync(JUNIT_XSD, 'utf8') },
  });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}

/** Undo the five XML entities and numeric references (enough to read back our own attributes). */
export function xmlText(escaped: string): string {
  return escaped
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * A scratch copy of the course (labs, solutions) with the real kit, CLI and packages linked in, so
 * that a check run on it never touches the real learner files or output/progress.json. Point the
 * CLI at it with scratchEnv(dir): its learners' workspace is made inside it on first use.
 */
export function scratchCourse(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leaklab-ci-'));
  for (const folder of ['labs', 'solutions']) cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  for (const link of ['kit', 'cli', 'node_modules']) symlinkSync(path.join(ROOT, link), path.join(dir, link));
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  return dir;
}

export function scratchEnv(dir: string): Record<string, string> {
  return { LEAKLAB_ROOT: dir, LEAKLAB_WORKSPACE: path.join(dir, 'workspace') };
}
