/**
 * "Where you stand" on the labs index: when the page is served by the hub, each lab's status and
 * last check from the progress store the terminal shares (`leaklab list` shows the same). Served
 * any other way, the component keeps its offline text.
 */
import type { HubInfo, LabProgress } from '../../../hub/protocol.ts';
import { badge, text } from './render.ts';

export async function mountLabProgress(): Promise<void> {
  const box = document.querySelector<HTMLElement>('.lab-progress');
  if (!box) return;
  let labs: LabProgress[];
  try {
    // Ask whether the hub serves this page first (the static build answers /api/hub with "none"),
    // so a page served without the hub requests nothing that fails.
    const hub = await fetch('/api/hub', { headers: { accept: 'application/json' } });
    if (!hub.ok || ((await hub.json()) as Partial<HubInfo>).hub !== 'leaklab') return;
    const response = await fetch('/api/progress', { headers: { accept: 'application/json' } });
    if (!response.ok) return;
    labs = (await response.json()) as LabProgress[];
  } catch {
    return; // not served by the hub
  }
  const passed = labs.filter((lab) => lab.lastCheck?.status === 'pass').length;
  const rows = labs
    .map((lab) => {
      const last = lab.lastCheck;
      const status = last ? `${badge(last.status)}, ${new Date(last.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}` : 'not checked yet';
      return (
        `<tr data-lab="${text(lab.id)}" data-status="${text(last?.status ?? 'none')}"><td><a href="${text(lab.labPage)}">${text(lab.number)} · ${text(lab.title)}</a></td>` +
        `<td>${text(status)}</td><td><code>${text(lab.file)}</code></td></tr>`
      );
    })
    .join('');
  box.innerHTML =
    `<p><strong data-part="fixed">${passed} of ${labs.length} fixed.</strong> Your last check of each lab, from the hub or the terminal:</p>` +
    `<table><thead><tr><th scope="col">Lab</th><th scope="col">Last check</th><th scope="col">Your file</th></tr></thead><tbody>${rows}</tbody></table>`;
  box.dataset.hub = 'connected';
}
