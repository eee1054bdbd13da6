/**
 * A V8 heap snapshot as a graph you can walk. The file is self-describing: `snapshot.meta` lists the
 * fields of each node and edge, and `nodes`/`edges` are flat number arrays, one record after
 * another. We read the field positions from the meta instead of hard-coding them, so a V8 that adds
 * a field still parses. Reading the file is parse.ts's job; this class only answers questions.
 */
import { parseSnapshot, SnapshotFormatError, type ParsedSnapshot } from './parse.ts';

export { SnapshotFormatError } from './parse.ts';

/** Where a function (closure) was defined: 0-based line and column in the script with `scriptId`. */
export interface SourceLocation {
  scriptId: number;
  line: number;
  column: number;
}

/**
 * A parsed heap snapshot. Nodes are addressed by ordinal (0 … nodeCount-1); node 0 is V8's synthetic
 * root. Edges of node n are the ordinals firstEdge[n] … firstEdge[n+1]-1.
 */
export class HeapGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  private readonly nodes: Uint32Array;
  private readonly edges: Uint32Array;
  private readonly strings: string[];
  private readonly nodeTypes: string[];
  private readonly edgeTypes: string[];
  private readonly nodeStride: number;
  private readonly edgeStride: number;
  private readonly f: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  private readonly e: { type: number; nameOrIndex: number; toNode: number };
  /** firstEdge[n] = ordinal of node n's first edge; length nodeCount + 1. */
  private readonly firstEdge: Uint32Array;
  private readonly locations = new Map<number, SourceLocation>();
  private readonly weakType: number;

  constructor(raw: ParsedSnapshot) {
    const meta = raw.meta;
    const field = (list: string[], name: string): number => {
      const at = list.indexOf(name);
      if (at < 0) throw new SnapshotFormatError(`heap snapshot meta has no "${name}" field`);
      return at;
    };
    this.nodes = raw.nodes;
    this.edges = raw.edges;
    this.strings = raw.strings;
    this.nodeStride = meta.node_fields.length;
    this.edgeStride = meta.edge_fields.length;
    this.f = {
      type: field(meta.node_fields, 'type'),
      name: field(meta.node_fields, 'name'),
      id: field(meta.node_fields, 'id'),
      selfSize: field(meta.node_fields, 'self_size'),
      edgeCount: field(meta.node_fields, 'edge_count'),
    };
    this.e = {
      type: field(meta.edge_fields, 'type'),
      nameOrIndex: field(meta.edge_fields, 'name_or_index'),
      toNode: field(meta.edge_fields, 'to_node'),
    };
    this.nodeTypes = meta.node_types[this.f.type] as string[];
    this.edgeTypes = meta.edge_types[this.e.type] as string[];
    if (!Array.isArray(this.nodeTypes) || !Array.isArray(this.edgeTypes)) throw new SnapshotFormatError('heap snapshot meta lists no node or edge types');
    this.weakType = this.edgeTypes.indexOf('weak');
    this.nodeCount = this.nodes.length / this.nodeStride;
    this.edgeCount = this.edges.length / this.edgeStride;
    if (!Number.isInteger(this.nodeCount) || !Number.isInteger(this.edgeCount)) {
      throw new SnapshotFormatError('heap snapshot is truncated: nodes or edges do not fill whole records');
    }

    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    let edge = 0;
    for (let n = 0; n < this.nodeCount; n++) {
      this.firstEdge[n] = edge;
      edge += this.nodes[n * this.nodeStride + this.f.edgeCount]!;
    }
    this.firstEdge[this.nodeCount] = edge;
    if (edge !== this.edgeCount) {
      throw new SnapshotFormatError(`heap snapshot is inconsistent: nodes declare ${edge} edges, file has ${this.edgeCount}`);
    }

    const lf = meta.location_fields;
    if (lf && raw.locations) {
      const stride = lf.length;
      const [obj, script, line, col] = ['object_index', 'script_id', 'line', 'column'].map((n) => lf.indexOf(n));
      for (let i = 0; i + stride <= raw.locations.length; i += stride) {
        this.locations.set(raw.locations[i + obj!]! / this.nodeStride, {
          scriptId: raw.locations[i + script!]!,
          line: raw.locations[i + line!]!,
          column: raw.locations[i + col!]!,
        });
      }
    }
  }

  /** Parse a .heapsnapshot already in memory (tests and small files; the hub reads files with parse.ts). */
  static parse(text: string | Buffer): HeapGraph {
    return new HeapGraph(parseSnapshot(text));
  }

  /** V8's node type: 'object', 'closure', 'array', 'string', 'hidden', 'native', ... */
  type(n: number): string {
    return this.nodeTypes[this.nodes[n * this.nodeStride + this.f.type]!] ?? 'unknown';
  }
  /** For objects the constructor name, for closures the function name, for strings the text. */
  name(n: number): string {
    return this.strings[this.nodes[n * this.nodeStride + this.f.name]!] ?? '';
  }
  /** Stable object id: the same object keeps its id across snapshots of one process. */
  id(n: number): number {
    return this.nodes[n * this.nodeStride + this.f.id]!;
  }
  /** Bytes of this object alone (not what it points to). */
  selfSize(n: number): number {
    return this.nodes[n * this.nodeStride + this.f.selfSize]!;
  }
  /** Where a closure was defined, when the snapshot recorded it. */
  location(n: number): SourceLocation | undefined {
    return this.locations.get(n);
  }

  /**
   * The name DevTools groups an object under in its Summary and Comparison views: the constructor
   * name for objects, '(closure)', '(string)', '(array)' ... for the rest.
   */
  className(n: number): string {
    const type = this.type(n);
    switch (type) {
      case 'object':
      case 'native':
        return this.name(n);
      case 'hidden':
        return '(system)';
      case 'code':
        return '(compiled code)';
      case 'concatenated string':
      case 'sliced string':
        return '(string)';
      default:
        return `(${type})`;
    }
  }

  /** Edge ordinals of node n are firstEdgeOf(n) … endEdgeOf(n)-1. */
  firstEdgeOf(n: number): number {
    return this.firstEdge[n]!;
  }
  endEdgeOf(n: number): number {
    return this.firstEdge[n + 1]!;
  }
  /** True for a weak edge: it does not keep its target alive. */
  isWeak(e: number): boolean {
    return this.edges[e * this.edgeStride + this.e.type] === this.weakType;
  }
  /** V8's edge type: 'context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'. */
  edgeType(e: number): string {
    return this.edgeTypes[this.edges[e * this.edgeStride + this.e.type]!] ?? 'unknown';
  }
  /** Element and hidden edges carry an index; the rest a name. */
  edgeName(e: number): string | number {
    const raw = this.edges[e * this.edgeStride + this.e.nameOrIndex]!;
    const type = this.edgeType(e);
    return type === 'element' || type === 'hidden' ? raw : (this.strings[raw] ?? '');
  }
  /** The node ordinal an edge points to. */
  edgeTarget(e: number): number {
    return this.edges[e * this.edgeStride + this.e.toNode]! / this.nodeStride;
  }

  /** Calls visit for each outgoing edge of node n; stop early by returning false. */
  forEachEdge(n: number, visit: (edgeType: string, edgeName: string | number, to: number) => boolean | void): void {
    for (let e = this.firstEdge[n]!; e < this.firstEdge[n + 1]!; e++) {
      if (visit(this.edgeType(e), this.edgeName(e), this.edgeTarget(e)) === false) return;
    }
  }
}
