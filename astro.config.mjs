// @ts-check
/**
 * The course site: Astro + Starlight, sources in ./site (not Astro's default ./src).
 * The sidebar is generated from one folder per section, so pages are added by creating files,
 * never by editing this list (two people write pages at the same time).
 */
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';

/** Sidebar sections in teaching order: [label, folder under site/content/docs/]. */
const sections = [
  ['Start here', 'start'],
  ['How V8 decides what lives', 'how-v8-works'],
  ['The four causes', 'causes'],
  ['Labs', 'labs'],
  ['Detecting leaks', 'detect'],
  ['In production', 'production'],
  ['Mistakes and patterns', 'patterns'],
  ['Interview practice', 'interview'],
  ['Reference', 'reference'],
];

export default defineConfig({
  srcDir: './site',
  // The sitemap (and so the site test's page list) needs an absolute origin.
  site: 'http://127.0.0.1:4321',
  // The hub serves the built site locally; nothing calls home.
  telemetry: false,
  integrations: [
    starlight({
      title: 'Leak Lab',
      description: 'Find and fix memory leaks in Node.js: how V8 decides what lives, seven leaky servers to fix, and the tools that prove the fix.',
      customCss: ['./site/styles/course.css'],
      // The page title shows how long the page takes to read (site/components/PageTitle.astro).
      components: { PageTitle: './site/components/PageTitle.astro' },
      lastUpdated: false,
      sidebar: sections.map(([label, directory]) => ({ label, autogenerate: { directory } })),
    }),
    mdx(),
  ],
});
