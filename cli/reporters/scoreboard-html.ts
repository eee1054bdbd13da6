/**
 * The scoreboard as one static HTML page: no script, no external file, so it can be opened from
 * disk, attached to a CI run or put on the projector. Each cell's title (hover) holds the latest
 * evidence; the same text is in a list below the table for a reader without a mouse.
 */
import { escapeMarkup as esc } from './markup.ts';
import { outcomeOf } from './outcome.ts';
import { cellDetail, cellText, labHeader, startDescription, type Scoreboard, type ScoreCell } from './scoreboard.ts';

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; color: #1b1b1f; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  p { margin: .25rem 0 1rem; color: #4a4a55; }
  table { border-collapse: collapse; }
  th, td { border: 1px solid #d0d0d8; padding: .35rem .7rem; text-align: center; white-space: nowrap; }
  th:first-child, td:first-child { text-align: left; }
  td.passed { background: #dcf5e3; }
  td.regressed { background: #fff1c2; }
  td.failed { background: #fde2e1; }
  td.error { background: #f3e3fa; }
  td.unchecked { color: #8a8a96; }
  details { margin-top: 1.5rem; }
  li { margin: .2rem 0; }
`;

function cellClass(cell: ScoreCell | undefined): string {
  if (!cell) return 'unchecked';
  if (!cell.firstPassAt) return outcomeOf(cell.latest.status);
  return outcomeOf(cell.latest.status) === 'passed' ? 'passed' : 'regressed';
}

export function renderScoreboardHtml(board: Scoreboard, generatedAt = new Date()): string {
  const head = ['Learner', ...board.labs.map((lab) => `<th scope="col" title="${esc(lab)}">${esc(labHeader(lab))}</th>`), 'Passed'];
  const rows = board.rows.map((row) => {
    const cells = board.labs.map((lab) => {
      const cell = row.cells.get(lab);
      const title = cell ? ` title="${esc(cellDetail(cell))}"` : '';
      return `<td class="${cellClass(cell)}"${title}>${esc(cellText(cell))}</td>`;
    });
    return `<tr><th scope="row">${esc(row.learner)}</th>${cells.join('')}<td>${row.passed}/${board.labs.length}</td></tr>`;
  });
  const details = board.rows.flatMap((row) =>
    board.labs.flatMap((lab) => {
      const cell = row.cells.get(lab);
      return cell ? [`<li>${esc(row.learner)}, ${esc(lab)}: ${esc(cellDetail(cell))}</li>`] : [];
    }),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Leak Lab scoreboard</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Leak Lab scoreboard</h1>
<p>${board.rows.length} learners, ${board.files} checks of every lab. Made ${esc(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC.</p>
<p>✓ time to first pass (${esc(startDescription(board))}) · ✗ latest check failed · ? undecided · ! could not run · · not checked · * passed once, fails now</p>
<table>
<thead><tr>${head.map((cell) => (cell.startsWith('<th') ? cell : `<th scope="col">${cell}</th>`)).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<details><summary>Every cell's latest evidence</summary>
<ul>
${details.join('\n')}
</ul>
</details>
</body>
</html>
`;
}
