/**
 * Reads a V8 `.heapsnapshot` (the JSON that `v8.writeHeapSnapshot()` and Chrome DevTools write) into
 * a graph you can walk. The file is self-describing: `snapshot.meta` lists the fields of each node
 * and edge, and `nodes`/`edges` are flat number arrays, one record after another. We read the field
 * positions from the meta instead of hard-coding them, so a V8 that adds a field still parses.
 * Pure: takes the text, returns the graph; reading the file is the caller's job (see files.ts).
 */

export interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
  location_fields?: string[];
}

interface RawSnapshot {
  snapshot: { meta: SnapshotMeta; node_count: number; edge_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations?: number[];
}

/** Where a function (closure) was defined: 0-based line and column in the script with `scriptId`. */
export interface SourceLocation {
  scriptId: number;
  line: number;
  column: number;
}

export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
}

/**
 * A parsed heap snapshot. Nodes are addressed by ordinal (0 … nodeCount-1); node 0 is V8's synthetic
 * root. Edges of node n are the ordinals firstEdge[n] … firstEdge[n+1]-1.
 */
export class HeapGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  private readonly nodes: number[];
  private readonly edges: number[];
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

  constructor(raw: RawSnapshot) {
    const meta = raw?.snapshot?.meta;
    if (!meta || !Array.isArray(raw.nodes) || !Array.isArray(raw.edges) || !Array.isArray(raw.strings)) {
      throw new SnapshotFormatError('not a V8 heap snapshot: expected snapshot.meta, nodes, edges and strings');
    }
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

  /** Parse the text of a .heapsnapshot file. */
  static parse(text: string): HeapGraph {
    let raw: RawSnapshot;
    try {
      raw = JSON.parse(text) as RawSnapshot;
    } catch (error) {
      throw new SnapshotFormatError(`heap snapshot is not valid JSON (${(error as Error).message})`);
    }
    return new HeapGraph(raw);
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
