/**
 * The static site's answer to the lab panels' "is the hub here?" probe (site/scripts/hub/panel.ts
 * fetches /api/hub). Served by `astro preview` or any static host, it says "no hub", so the panels
 * keep their offline text and the browser logs no failed request. Under `npm start` the hub mounts
 * its own /api routes before the built files, so its real answer shadows this one.
 */
import type { APIRoute } from 'astro';

export const prerender = true;

export const GET: APIRoute = () =>
  new Response(JSON.stringify({ hub: 'none', note: 'Static build: start the hub with `npm start` for live lab panels.' }), {
    headers: { 'content-type': 'application/json' },
  });
