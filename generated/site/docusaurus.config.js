// @ts-check
// The publishable docs site for oint. Its pages are generated from spec/ by `cargo run -p
// oint-codegen -- generate`: the method pages and guides into ../docs, the landing page into
// ../pages, the other languages' pages into ../i18n. This site reads them in place, never copies
// or edits them. Build with ./build.sh; test with ./test.sh.

const fs = require('node:fs');
const path = require('node:path');

const translatedLocales = fs
  .readdirSync(path.join(__dirname, '..', 'i18n'), {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'oint',
  tagline: 'Spec-first API bindings in Rust: one YAML spec, one client, one CLI, one docs page',

  // Where the site is published. Override both when deploying under another address.
  url: process.env.OINT_SITE_URL || 'https://oint.invalid',
  baseUrl: process.env.OINT_SITE_BASE_URL || '/',

  // A broken link or a broken generated page stops the build.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    // Docusaurus reads .md as MDX; the generated pages are written for that.
    format: 'mdx',
    hooks: {
      onBrokenMarkdownLinks: 'throw',
      onBrokenMarkdownImages: 'throw',
    },
  },

  // English, and every language oint-codegen writes pages in: each is a folder of ../i18n (the
  // pages, the sidebar's and the navbar's words), served under /<language>/.
  i18n: {
    defaultLocale: 'en',
    path: '../i18n',
    locales: ['en', ...translatedLocales],
  },

  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          // The generated pages, read where they are committed.
          path: '../docs',
          routeBasePath: 'docs',
          sidebarPath: require.resolve('./sidebars.js'),
        },
        // The landing page, generated from the spec with the guides it sends each reader to.
        pages: {
          path: '../pages',
        },
        blog: false,
        theme: {},
      }),
    ],
  ],

  // Search that works offline: the index is built with the site (lunr) and served with it;
  // nothing is asked of any service. It covers the method pages (their titles, text, tables and
  // code: OPI's names, the Rust functions and the REST methods are all there).
  themes: [
    [
      require.resolve('@easyops-cn/docusaurus-search-local'),
      /** @type {import('@easyops-cn/docusaurus-search-local').PluginOptions} */
      ({
        hashed: true,
        // Each locale's pages get their own index, with its language's stemming.
        language: ['en', ...translatedLocales],
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: 'docs',
        highlightSearchTermsOnTargetPage: false,
        searchResultLimits: 8,
      }),
    ],
  ],

  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      navbar: {
        title: 'oint',
        items: [
          {
            type: 'docSidebar',
            sidebarId: 'docs',
            position: 'left',
            label: 'Docs',
          },
          {
            type: 'localeDropdown',
            position: 'right',
          },
        ],
      },
      docs: {
        sidebar: {
          hideable: false,
        },
      },
      prism: {
        // Rust and JSON come with Prism's defaults; the command lines are in three tabs.
        additionalLanguages: ['bash', 'batch', 'powershell'],
      },
    }),
};

module.exports = config;
