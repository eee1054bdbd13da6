/**
 * Reads a V8 `.heapsnapshot` without ever holding its text. The file is one JSON object whose big
 * parts are flat number arrays (`nodes`, `edges`, `locations`) and a string table; we read it in
 * chunks and put the numbers straight into typed arrays, 4 bytes each, instead of `JSON.parse`
 * building a JavaScript array of boxed numbers beside a copy of the whole text (which cost ~1.1 GiB
 * for a 65 MB file). Memory is then about the size of the file, whatever its size.
 *
 * V8 writes the `snapshot` header (with the field layout and counts) first; the parser relies on
 * nothing else about the order and skips keys it does not use (`samples`, `trace_tree`, ...).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
  location_fields?: string[];
}

/** The parts of a snapshot the analysis uses, numbers in typed arrays. */
export interface ParsedSnapshot {
  meta: SnapshotMeta;
  nodes: Uint32Array;
  edges: Uint32Array;
  strings: string[];
  locations?: Uint32Array;
}

export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
}

/** Called with (bytes read so far, total bytes) every few MiB. */
export type ReadProgress = (read: number, total: number) => void;

const CHUNK = 1 << 20;
const PROGRESS_EVERY = 4 << 20;

// Byte values of the JSON characters the parser looks at.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * A window on the input: bytes buf[pos..end) are read and not yet consumed. `fill` appends more;
 * `keep` marks the first byte that must survive a refill (the start of a string being scanned).
 */
class Input {
  buf: Buffer;
  pos = 0;
  end = 0;
  /** Bytes consumed before buf[0]: the offset of buf[0] in the file. */
  base = 0;
  private nextReport = PROGRESS_EVERY;

  constructor(
    private readonly read: (target: Buffer, offset: number, length: number) => number,
    readonly total: number,
    private readonly onProgress?: ReadProgress,
    first?: Buffer,
    chunkBytes = CHUNK,
  ) {
    this.buf = first ?? Buffer.allocUnsafe(chunkBytes);
    if (first) this.end = first.length;
  }

  /** Read more input, keeping buf[keep..end); answers false at the end of the input. */
  fill(keep = this.pos): boolean {
    // Slide what must be kept to the front, growing the buffer when a token is bigger than it.
    const kept = this.end - keep;
    if (kept > 0 && keep > 0) this.buf.copy(this.buf, 0, keep, this.end);
    if (kept >= this.buf.length / 2) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, kept);
      this.buf = bigger;
    }
    this.base += keep;
    this.pos -= keep;
    this.end = kept;
    const got = this.read(this.buf, this.end, this.buf.length - this.end);
    this.end += got;
    const done = this.base + this.end;
    if (this.onProgress && done >= this.nextReport) {
      this.nextReport = done + PROGRESS_EVERY;
      this.onProgress(done, this.total);
    }
    return got > 0;
  }

  /** The next byte that is not white space, without consuming it; -1 at the end. */
  peek(): number {
    for (;;) {
      while (this.pos < this.end) {
        const c = this.buf[this.pos]!;
        if (!isSpace(c)) return c;
        this.pos++;
      }
      if (!this.fill()) return -1;
    }
  }

  expect(char: number): void {
    const c = this.peek();
    if (c !== char) throw this.error(`expected '${String.fromCharCode(char)}'`, c);
    this.pos++;
  }

  error(what: string, found: number): SnapshotFormatError {
    const at = this.base + this.pos;
    if (found === -1) return new SnapshotFormatError(`heap snapshot is truncated: ${what} at byte ${at}, found the end of the file`);
    return new SnapshotFormatError(`not a V8 heap snapshot: ${what} at byte ${at}, found '${String.fromCharCode(found)}'`);
  }

  /** A JSON string (the opening quote is next). */
  string(): string {
    this.expect(QUOTE);
    // The opening quote is kept through refills: a string with escapes is decoded with its quotes.
    let quote = this.pos - 1;
    let escaped = false;
    const more = () => {
      const shift = quote;
      if (!this.fill(quote)) throw this.error('an unterminated string', -1);
      quote -= shift;
    };
    for (;;) {
      if (this.pos >= this.end) more();
      const c = this.buf[this.pos++]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        if (this.pos >= this.end) more();
        this.pos++; // the escaped character, whatever it is (\" included)
      }
    }
    // Plain strings (nearly all) decode directly; ones with escapes go through JSON.parse.
    return escaped ? (JSON.parse(this.buf.toString('utf8', quote, this.pos)) as string) : this.buf.toString('utf8', quote + 1, this.pos - 1);
  }

  /**
   * An array of non-negative integers into a typed array: `expected` values exactly when the header
   * said how many, else as many as there are.
   */
  uints(expected?: number): Uint32Array {
    this.expect(OPEN_BRACKET);
    let out = new Uint32Array(expected ?? 1024);
    let n = 0;
    let value = 0;
    let digits = 0;
    for (;;) {
      if (this.pos >= this.end && !this.fill()) throw this.error('an unterminated number array', -1);
      const buf = this.buf;
      const end = this.end;
      let pos = this.pos;
      let closed = false;
      // The hot loop: plain locals, no calls but the rare growth.
      while (pos < end) {
        const c = buf[pos++]!;
        if (c >= ZERO && c <= NINE) {
          value = value * 10 + (c - ZERO);
          digits++;
        } else if (c === COMMA || c === CLOSE_BRACKET) {
          if (digits > 0) {
            if (value > 0xffffffff) throw new SnapshotFormatError(`heap snapshot holds a number too large to read (${value})`);
            if (n === out.length) {
              if (expected !== undefined) throw new SnapshotFormatError(`heap snapshot is inconsistent: more values than the ${expected} its header declares`);
              const bigger = new Uint32Array(out.length * 2);
              bigger.set(out);
              out = bigger;
            }
            out[n++] = value;
          } else if (c === COMMA || n > 0) {
            this.pos = pos - 1;
            throw this.error('a number', c);
          }
          value = 0;
          digits = 0;
          if (c === CLOSE_BRACKET) {
            closed = true;
            break;
          }
        } else if (!isSpace(c)) {
          this.pos = pos - 1;
          throw this.error('a non-negative integer', c);
        }
      }
      this.pos = pos;
      if (closed) break;
    }
    if (expected !== undefined && n !== expected) {
      throw new SnapshotFormatError(`heap snapshot is inconsistent: its header declares ${expected} values, the file has ${n}`);
    }
    return expected === undefined ? out.slice(0, n) : out;
  }

  /** An array of strings (the snapshot's string table). */
  strings(): string[] {
    this.expect(OPEN_BRACKET);
    const out: string[] = [];
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.string());
      const c = this.peek();
      this.pos++;
      if (c === CLOSE_BRACKET) return out;
      if (c !== COMMA) throw this.error("',' or ']'", c);
    }
  }

  /**
   * Any JSON value, skipped or kept as text (for the small header). Strings are scanned so that
   * brackets inside them do not count.
   */
  value(keep: boolean): string | undefined {
    const first = this.peek();
    if (first === QUOTE) {
      const s = this.string();
      return keep ? JSON.stringify(s) : undefined;
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      // A number, true, false or null: up to the next delimiter.
      let text = '';
      for (;;) {
        if (this.pos >= this.end && !this.fill()) break;
        const c = this.buf[this.pos]!;
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
        text += String.fromCharCode(c);
        this.pos++;
      }
      if (text === '') throw this.error('a value', first);
      return text;
    }
    let depth = 0;
    const parts: string[] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1) throw this.error('the end of a value', -1);
      if (c === QUOTE) {
        const s = this.string();
        if (keep) parts.push(JSON.stringify(s));
        continue;
      }
      this.pos++;
      if (keep) parts.push(String.fromCharCode(c));
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return keep ? parts.join('') : undefined;
      }
    }
  }
}

interface Header {
  meta: SnapshotMeta;
  node_count?: number;
  edge_count?: number;
}

function parseFrom(input: Input): ParsedSnapshot {
  let header: Header | undefined;
  let nodes: Uint32Array | undefined;
  let edges: Uint32Array | undefined;
  let strings: string[] | undefined;
  let locations: Uint32Array | undefined;
  const stride = (fields: string[] | undefined) => fields?.length ?? 0;

  input.expect(OPEN_BRACE);
  for (;;) {
    const key = input.string();
    input.expect(COLON);
    switch (key) {
      case 'snapshot': {
        try {
          header = JSON.parse(input.value(true)!) as Header;
        } catch (error) {
          if (error instanceof SnapshotFormatError) throw error;
          throw new SnapshotFormatError(`not a V8 heap snapshot: its header is not valid JSON (${(error as Error).message})`);
        }
        break;
      }
      case 'nodes': {
        const count = header?.node_count;
        nodes = input.uints(count !== undefined && header?.meta ? count * stride(header.meta.node_fields) : undefined);
        break;
      }
      case 'edges': {
        const count = header?.edge_count;
        edges = input.uints(count !== undefined && header?.meta ? count * stride(header.meta.edge_fields) : undefined);
        break;
      }
      case 'strings':
        strings = input.strings();
        break;
      case 'locations':
        locations = input.uints();
        break;
      default:
        input.value(false);
    }
    const c = input.peek();
    input.pos++;
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) throw input.error("',' or '}'", c);
  }
  const meta = header?.meta;
  if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(meta.edge_fields) || !nodes || !edges || !strings) {
    throw new SnapshotFormatError('not a V8 heap snapshot: expected snapshot.meta, nodes, edges and strings');
  }
  return { meta, nodes, edges, strings, ...(locations ? { locations } : {}) };
}

/** Parse a snapshot already in memory (tests, small files). */
export function parseSnapshot(source: string | Buffer): ParsedSnapshot {
  const bytes = typeof source === 'string' ? Buffer.from(source) : source;
  if (bytes.length === 0) throw new SnapshotFormatError('not a V8 heap snapshot: the file is empty');
  return parseFrom(new Input(() => 0, bytes.length, undefined, bytes));
}

/** Read a snapshot file in chunks (1 MiB unless told); `onProgress` hears how far it got. */
export function readSnapshotFile(file: string, onProgress?: ReadProgress, chunkBytes = CHUNK): ParsedSnapshot {
  const fd = openSync(file, 'r');
  try {
    const total = fstatSync(fd).size;
    if (total === 0) throw new SnapshotFormatError(`not a V8 heap snapshot: ${file} is empty`);
    const input = new Input((target, offset, length) => readSync(fd, target, offset, length, null), total, onProgress, undefined, chunkBytes);
    const parsed = parseFrom(input);
    onProgress?.(total, total);
    return parsed;
  } finally {
    closeSync(fd);
  }
}
