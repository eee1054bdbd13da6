/**
 * Reading a lab process's stderr for the learner: keep its tail, recognise an out-of-memory abort
 * or a file that does not compile, and pick the few lines that say what went wrong.
 */
import path from 'node:path';

/** How much of each output stream a lab keeps: enough for V8's out-of-memory report and a stack. */
const TAIL_CHARS = 16_384;

/** What V8 prints when it gives up at the heap limit (the wording differs between Node lines). */
const OUT_OF_MEMORY_PATTERN = /Reached heap limit|heap out of memory|Ineffective mark-compacts near heap limit/;
/** What tsx (esbuild) and Node's own type stripping print for a syntax error in a .ts file. */
const COMPILE_PATTERN = /Transform failed with|TransformError|ERR_INVALID_TYPESCRIPT_SYNTAX/;

/** `text` with only its last TAIL_CHARS characters. */
export function keepTail(text: string): string {
  return text.length > TAIL_CHARS ? text.slice(text.length - TAIL_CHARS) : text;
}

/** The process aborted because V8 reached the heap limit. */
export function saysOutOfMemory(stderr: string): boolean {
  return OUT_OF_MEMORY_PATTERN.test(stderr);
}

/** The file could not be compiled (a syntax error), as opposed to throwing once it ran. */
export function saysCompileFailed(stderr: string): boolean {
  return COMPILE_PATTERN.test(stderr);
}

/** The few stderr lines that tell what went wrong: the error message and the learner's frame. */
export function summariseStderr(stderr: string, entry: string): string {
  const lines = stderr.split('\n').map((line) => line.trimEnd());
  const picked: string[] = [];
  const entryBase = path.basename(entry);
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const isErrorLine = /^(\w*Error|Error)\b.*:|ERROR:|^\w+Error$|Uncaught/.test(trimmed);
    const isUserFrame =
      trimmed.startsWith('at ') && trimmed.includes(entryBase) && !trimmed.includes('node_modules');
    const isLocationHeader = trimmed.startsWith(entry) || trimmed.startsWith(`file://${entry}`);
    if (isErrorLine || isLocationHeader || (isUserFrame && !picked.some((p) => p.startsWith('at ')))) {
      if (!picked.includes(trimmed)) picked.push(trimmed);
    }
    if (picked.length >= 6) break;
  }
  if (picked.length === 0) return lines.filter(Boolean).slice(-4).join('\n');
  return picked.join('\n');
}
