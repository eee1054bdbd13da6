/**
 * The analysed server's source as a page with numbered lines, so a retainer path can link to
 * `#L<line>`. Pure: text in, HTML out, every character of the file escaped.
 */
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function sourcePage(file: string, text: string): string {
  const lines = text.split('\n');
  return (
    `<!doctype html><meta charset="utf-8"><title>${escape(file)}</title>` +
    `<style>body{font:14px/1.45 ui-monospace,monospace;margin:1rem}span{display:block;white-space:pre}span:target{background:#fde68a}i{color:#888;display:inline-block;width:3.5em;font-style:normal}</style>` +
    `<h1 style="font-size:1rem">${escape(file)}</h1>` +
    lines.map((line, i) => `<span id="L${i + 1}"><i>${i + 1}</i>${escape(line)}</span>`).join('')
  );
}
