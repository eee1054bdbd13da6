/**
 * Test helpers for the CI reporters and the scoreboard: the recorded verdict files of a small
 * cohort (test/fixtures/verdicts/, real `check --all` runs recorded by scripts/ci/record-verdicts.ts)
 * and the JUnit schema check.
 */
import { readdirSync, readFileSync } from 'node:fs';
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
