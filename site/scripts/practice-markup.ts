/**
 * Split the interview questions' small markup into pieces a component can render: plain text,
 * `code`, **strong**, and {m:id} / {mc:id} for measured figures. Pure; used at build time only.
 */

export type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'measured'; id: string; code: boolean };

const TOKEN = /`([^`]+)`|\*\*([^*]+)\*\*|\{(m|mc):([a-z0-9-]+)\}/g;

/** The pieces of `source`, in order. Unclosed markers stay as plain text. */
export function parseMarkup(source: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const at = match.index ?? 0;
    if (at > last) pieces.push({ kind: 'text', text: source.slice(last, at) });
    const [, code, strong, measuredKind, measuredId] = match;
    if (code !== undefined) pieces.push({ kind: 'code', text: code });
    else if (strong !== undefined) pieces.push({ kind: 'strong', text: strong });
    else if (measuredId !== undefined) pieces.push({ kind: 'measured', id: measuredId, code: measuredKind === 'mc' });
    last = at + match[0].length;
  }
  if (last < source.length) pieces.push({ kind: 'text', text: source.slice(last) });
  return pieces;
}
