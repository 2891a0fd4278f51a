// Browser test of the built docs site (generated/site/build): serves it on 127.0.0.1, opens it
// in Debian's headless Chromium through playwright-core, and checks what a reader sees.
//
// Run with ./test.sh (sets up the browser, builds the site, then runs `node --test`).
// The list of pages is never written here: it is read from the generated pages in ../../docs.

import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(siteDir, 'build');
const docsDir = path.resolve(siteDir, '..', 'docs');
const repoDir = path.resolve(siteDir, '..', '..');
const screenshotDir = path.join(repoDir, 'target', 'site-screenshots');

const CHROMIUM = process.env.OINT_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// The docs plugin's routeBasePath in docusaurus.config.js.
const DOCS_ROUTE = '/docs';
const STEP_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// What the generated docs tree says the site must contain.

/** The front matter of a markdown page as flat `key: value` pairs (all the generator writes). */
function frontMatter(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const fields = {};
  if (!match) return {fields, body: text};
  for (const line of match[1].split(/\r?\n/)) {
    const field = /^([A-Za-z_][\w-]*):\s*(.*?)\s*$/.exec(line);
    if (field) fields[field[1]] = field[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return {fields, body: text.slice(match[0].length)};
}

const byPositionThenName = (a, b) =>
  (a.position ?? Infinity) - (b.position ?? Infinity) || a.name.localeCompare(b.name);

/**
 * Reads a folder of ../docs into the sidebar Docusaurus autogenerates from it: categories (from
 * folders and their `_category_.json`) and pages (from `.md`/`.mdx` files), each level in
 * position order.
 */
function readTree(dir, rel = '') {
  const items = [];
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      const categoryFile = path.join(full, '_category_.json');
      const category = fs.existsSync(categoryFile)
        ? JSON.parse(fs.readFileSync(categoryFile, 'utf8'))
        : {};
      items.push({
        kind: 'category',
        name: entry.name,
        label: category.label ?? entry.name,
        position: category.position,
        items: readTree(full, relPath),
      });
    } else if (/\.mdx?$/.test(entry.name) && !entry.name.startsWith('_')) {
      const text = fs.readFileSync(full, 'utf8');
      const {fields, body} = frontMatter(text);
      const heading = /^#\s+(.+?)\s*$/m.exec(body);
      const title = fields.title ?? (heading ? heading[1] : entry.name);
      const dirUrl = rel ? `${DOCS_ROUTE}/${rel}` : DOCS_ROUTE;
      const id = fields.id ?? entry.name.replace(/\.mdx?$/, '');
      let url = `${dirUrl}/${id}`;
      if (fields.slug) url = fields.slug.startsWith('/') ? DOCS_ROUTE + fields.slug : `${dirUrl}/${fields.slug}`;
      items.push({
        kind: 'page',
        name: entry.name,
        file: full,
        relPath,
        url,
        title,
        label: fields.sidebar_label ?? title,
        position: fields.sidebar_position === undefined ? undefined : Number(fields.sidebar_position),
      });
    }
  }
  return items.sort(byPositionThenName);
}

const allPages = (items) =>
  items.flatMap((item) => (item.kind === 'page' ? [item] : allPages(item.items)));

const libraries = readTree(docsDir).filter((item) => item.kind === 'category');
const expectedPages = allPages(libraries);

// The other locales: each folder of ../i18n that oint-codegen writes, with the translated pages
// under `<locale>/docusaurus-plugin-content-docs/current/` and the sidebar's labels in
// `current.json` beside them.
const i18nDir = path.resolve(siteDir, '..', 'i18n');
const locales = fs
  .readdirSync(i18nDir, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/**
 * The sidebar of `locale`: the English tree's order and positions, with each category's label
 * as `current.json` translates it and each page's title from its translated file (the English
 * page where there is none, as Docusaurus falls back).
 */
function translatedTree(locale) {
  const root = path.join(i18nDir, locale, 'docusaurus-plugin-content-docs');
  const labels = JSON.parse(fs.readFileSync(path.join(root, 'current.json'), 'utf8'));
  const translate = (item) => {
    if (item.kind === 'category') {
      const label = labels[`sidebar.docs.category.${item.label}`]?.message ?? item.label;
      return {...item, label, items: item.items.map(translate)};
    }
    const file = path.join(root, 'current', item.relPath);
    const url = `/${locale}${item.url}`;
    if (!fs.existsSync(file)) return {...item, url};
    const {fields, body} = frontMatter(fs.readFileSync(file, 'utf8'));
    const heading = /^#\s+(.+?)\s*$/m.exec(body);
    const title = heading ? heading[1] : item.title;
    return {...item, file, url, title, label: title, description: fields.description};
  };
  return libraries.map(translate);
}

const translated = Object.fromEntries(locales.map((locale) => [locale, translatedTree(locale)]));

// ---------------------------------------------------------------------------------------------
// A small static file server for the built site.

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const candidate = path.resolve(buildDir, `.${path.posix.normalize(decoded)}`);
  if (candidate !== buildDir && !candidate.startsWith(buildDir + path.sep)) return undefined;
  for (const file of [candidate, `${candidate}.html`, path.join(candidate, 'index.html')]) {
    try {
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function startServer() {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {Allow: 'GET, HEAD'}).end();
      return;
    }
    const {pathname} = new URL(req.url, 'http://127.0.0.1');
    let file = resolveFile(pathname);
    let status = 200;
    if (!file) {
      file = path.join(buildDir, '404.html');
      status = 404;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(status, {'Content-Type': type, 'Cache-Control': 'no-store'});
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Resolves a promise, or gives up after `ms` so that shutting down can never hang the test. */
const withTimeout = (promise, ms, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);

/** A path without its trailing slash (except the root), as Docusaurus writes its links. */
const normalizePath = (p) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

// ---------------------------------------------------------------------------------------------

describe('the built docs site', {timeout: 900_000}, () => {
  let server;
  let origin;
  let browser;
  let context;
  const pageErrors = [];
  const consoleErrors = [];
  const externalRequests = [];

  before(async () => {
    assert.ok(
      fs.existsSync(path.join(buildDir, 'index.html')),
      `${buildDir} has no index.html: build the site first (generated/site/build.sh)`,
    );
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run generated/site/setup-browser.sh`);
    assert.ok(expectedPages.length > 0, `no generated pages found under ${docsDir}`);

    server = await startServer();
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: STEP_TIMEOUT_MS,
    });
    context = await browser.newContext({viewport: {width: 1280, height: 900}});
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    // The site must work offline: anything not served by our server is refused and recorded.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    context.on('page', (page) => {
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
      });
    });
  });

  after(async () => {
    const failures = [];
    if (browser) {
      await withTimeout(browser.close(), 15_000, 'closing Chromium').catch((e) => failures.push(e));
    }
    if (server) {
      server.closeAllConnections();
      await withTimeout(new Promise((resolve) => server.close(resolve)), 5_000, 'closing the server').catch(
        (e) => failures.push(e),
      );
    }
    if (failures.length) throw new AggregateError(failures, 'shutting down');
  });

  /** Opens a site path in a new tab, waits until the page has hydrated and settled. */
  let opened = 0;
  async function open(urlPath) {
    opened += 1;
    const page = await context.newPage();
    const response = await page.goto(origin + urlPath, {waitUntil: 'load'});
    assert.equal(response?.status(), 200, `GET ${urlPath}`);
    await page.waitForLoadState('networkidle');
    return page;
  }

  test('the DeleteUserFromChat page shows its title, table, tip and code examples', async () => {
    const source = expectedPages.find((p) => p.name === 'delete-user-from-chat.md');
    assert.ok(source, 'no delete-user-from-chat.md among the generated pages');
    const page = await open(source.url);
    try {
      const article = page.locator('article');

      // The title.
      const h1 = article.locator('h1');
      assert.equal(await h1.count(), 1, 'one <h1>');
      assert.equal((await h1.innerText()).trim(), 'Delete user from chat');
      assert.ok(await h1.isVisible(), 'the title is visible');
      assert.match(await page.title(), /^Delete user from chat \| oint$/);

      // The Rust signature and the Returns line.
      const signature = article.locator('p > code', {hasText: 'pub fn delete_user_from_chat('});
      assert.equal(await signature.count(), 1, 'the signature in backticks');
      assert.ok(await signature.isVisible());
      assert.equal(await article.getByText(/^Returns: Map Of KeyAndValue - /).count(), 1, 'the Returns line');

      // The parameter table, as rendered.
      const table = article.locator('table');
      assert.equal(await table.count(), 1, 'one <table>');
      assert.ok(await table.isVisible(), 'the table is visible');
      const header = await table.locator('thead th').allInnerTexts();
      assert.deepEqual(header.map((s) => s.trim()), ['Parameter', 'CLI option', 'Type', 'Required', 'Description']);
      const rows = await table.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent.trim())),
      );
      assert.deepEqual(
        rows.map((cells) => cells.slice(0, 4)),
        [
          ['URL', '--url', 'String', '\u2714'],
          ['ChatID', '--chat', 'String, Number', '\u2714'],
          ['UserID', '--user', 'String, Number', '\u2714'],
          ['Token', '--token', 'String', '\u2716'],
        ],
      );
      for (const cells of rows) {
        assert.equal(cells.length, 5, `five cells in ${JSON.stringify(cells)}`);
        assert.ok(cells[4].length > 0, `a description for ${cells[0]}`);
      }

      // What search engines read: the page's description and keywords.
      assert.equal(
        await page.locator('meta[name="description"]').getAttribute('content'),
        'Removes a member from a group chat.',
      );
      const keywords = await page.locator('meta[name="keywords"]').getAttribute('content');
      for (const word of ['DeleteUserFromChat', 'delete_user_from_chat', 'im.chat.user.delete']) {
        assert.ok(keywords.includes(word), `the keywords name ${word}: ${keywords}`);
      }

      // The tip admonition and its link to the API method's documentation.
      const tip = article.locator('.theme-admonition-tip');
      assert.equal(await tip.count(), 1, 'one tip admonition');
      assert.ok(await tip.isVisible(), 'the tip is visible');
      assert.match(await tip.innerText(), /Method at API documentation: im\.chat\.user\.delete/);
      const apiLink = tip.locator('a', {hasText: 'im.chat.user.delete'});
      assert.equal(await apiLink.count(), 1, 'the link in the tip');
      assert.equal((await apiLink.innerText()).trim(), 'im.chat.user.delete');
      // The link the spec gives (`rest.docs`), read from the spec itself.
      const specText = fs.readFileSync(
        path.join(repoDir, "spec/bitrix24/methods/DeleteUserFromChat.yaml"),
        'utf8',
      );
      const docsLink = /^  docs: (\S+)$/m.exec(specText)[1];
      assert.equal(await apiLink.getAttribute('href'), docsLink);

      // The code blocks, with their titles, in order: the command line in three tabs, Bash's
      // shown first.
      const blocks = article.locator('.theme-code-block');
      assert.equal(await blocks.count(), 5, 'five code blocks');
      const shown = await blocks.evaluateAll((els) =>
        els.map((el) => ({
          title: el.querySelector('[class*="codeBlockTitle"]')?.textContent.trim(),
          language: Array.from(el.classList).find((c) => c.startsWith('language-')),
          code: el.querySelector('pre code')?.innerText ?? '',
        })),
      );
      assert.deepEqual(
        shown.map(({title, language}) => [title, language]),
        [
          ['Code example', 'language-rust'],
          ['CLI command example', 'language-bash'],
          ['CLI command example', 'language-batch'],
          ['CLI command example', 'language-powershell'],
          ['Result', 'language-json'],
        ],
      );
      const visible = async () => Promise.all([0, 1, 2, 3, 4].map((i) => blocks.nth(i).isVisible()));
      assert.deepEqual(await visible(), [true, true, false, false, true], 'Bash\'s tab first');
      assert.match(shown[0].code, /client\.delete_user_from_chat\(452, 10\)\.await\?/);
      assert.match(shown[1].code, /^oint bitrix24 DeleteUserFromChat \\\n\s+--url .*\n\s+--chat "452" \\\n\s+--user "10"/);
      // (A hidden tab's text comes without its line breaks.)
      assert.match(shown[2].code, /^oint bitrix24 DeleteUserFromChat \^\s+--url .*\s+--chat "452" \^\s+/);
      assert.match(shown[3].code, /^oint bitrix24 DeleteUserFromChat `\s+--url .*\s+--chat '452' `\s+/);
      assert.equal(JSON.parse(shown[4].code).result, true, 'the Result block is JSON with result: true');

      // The tabs switch: CMD's line, then PowerShell's, in place of Bash's.
      const tabs = article.locator('[role="tab"]');
      assert.deepEqual((await tabs.allInnerTexts()).map((t) => t.trim()), ['Bash', 'CMD', 'PowerShell']);
      await tabs.nth(1).click();
      assert.deepEqual(await visible(), [true, false, true, false, true], 'CMD\'s tab after a click');
      await tabs.nth(2).click();
      assert.deepEqual(await visible(), [true, false, false, true, true], 'PowerShell\'s tab after a click');
      await tabs.nth(0).click();

      // The parts come in the page's order.
      const order = await page.evaluate(() => {
        const at = (selector) => document.querySelector(`article ${selector}`);
        const parts = [
          at('h1'),
          at('p > code'),
          at('table'),
          at('.theme-admonition-tip'),
          ...document.querySelectorAll('article .theme-code-block'),
        ];
        return parts.every(
          (el, i) => el && (i === 0 || parts[i - 1].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
        );
      });
      assert.ok(order, 'title, signature, table, tip, code blocks in that order');

      fs.mkdirSync(screenshotDir, {recursive: true});
      const screenshot = path.join(screenshotDir, 'delete-user-from-chat.png');
      await page.screenshot({path: screenshot, fullPage: true});
      assert.ok(fs.statSync(screenshot).size > 10_000, `${screenshot} was written`);
    } finally {
      await page.close();
    }
  });

  test('the landing page links to each library, and every generated page is reachable from it', async () => {
    const landing = await open('/');
    try {
      assert.equal((await landing.locator('main h1').innerText()).trim(), 'oint');
      for (const library of libraries) {
        const href = `${DOCS_ROUTE}/${library.name}`;
        const links = landing.locator(`main a[href="${href}"], main a[href="${href}/"]`);
        assert.ok((await links.count()) > 0, `the landing page links to ${href}`);
      }
      fs.mkdirSync(screenshotDir, {recursive: true});
      await landing.screenshot({path: path.join(screenshotDir, 'landing.png'), fullPage: true});
    } finally {
      await landing.close();
    }

    // Follow every link a reader can click, starting from the landing page, a few tabs at a
    // time (a page takes a second or so to settle; there are nearly two hundred).
    const seen = new Map(); // path -> the page's <h1>
    const queue = ['/'];
    const queued = new Set(queue);
    const visit = async (urlPath) => {
      const page = await open(urlPath);
      try {
        const h1 = page.locator('article h1, main h1').first();
        seen.set(urlPath, (await h1.count()) ? (await h1.innerText()).trim() : '');
        const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
        for (const href of hrefs) {
          const url = new URL(href);
          if (url.origin !== origin) continue;
          const target = normalizePath(url.pathname);
          if (path.posix.extname(target) && !target.endsWith('.html')) continue; // assets
          if (!queued.has(target)) {
            queued.add(target);
            queue.push(target);
          }
        }
      } finally {
        await page.close();
      }
    };
    const TABS = 4;
    let running = [];
    while (queue.length || running.length) {
      while (queue.length && running.length < TABS) {
        assert.ok(queued.size < 5_000, 'the crawl stays finite');
        const visiting = visit(queue.shift()).then(() => {
          running = running.filter((p) => p !== visiting);
        });
        running.push(visiting);
      }
      await Promise.race(running);
    }

    const everyPage = [...expectedPages, ...Object.values(translated).flatMap(allPages)];
    assert.ok(everyPage.length >= expectedPages.length * (1 + locales.length), 'every locale has its pages');
    for (const expected of everyPage) {
      assert.ok(seen.has(expected.url), `${expected.relPath} (${expected.url}) is reachable from the landing page`);
      assert.equal(seen.get(expected.url), expected.title, `the title of ${expected.url}`);
    }
  });

  test('the sidebar lists every page in each locale: libraries, then groups in _category_.json position order', async () => {
    const sidebars = [
      ['', libraries],
      ...locales.map((locale) => [`/${locale}`, translated[locale]]),
    ];
    for (const [prefix, tree] of sidebars) for (const library of tree) {
      const page = await open(`${prefix}${DOCS_ROUTE}/${library.name}`);
      try {
        const sidebar = page.locator('ul.theme-doc-sidebar-menu');
        assert.ok(await sidebar.isVisible(), 'the sidebar is visible');
        // Expand every collapsed category, as a reader would by clicking.
        // A category with its own page has a caret button; one without, a label that toggles.
        for (let clicks = 0; ; clicks += 1) {
          const collapsed = sidebar.locator('li.menu__list-item--collapsed').first();
          if ((await collapsed.count()) === 0) break;
          assert.ok(clicks < 1_000, 'expanding the sidebar ends');
          const caret = collapsed.locator(':scope > div > button.menu__caret');
          await ((await caret.count()) ? caret : collapsed.locator(':scope > div > a.menu__link')).click();
        }

        /** The sidebar as a tree of {label, href, items?}, from the rendered menu. */
        const shown = await sidebar.evaluate((menu) => {
          const read = (ul) =>
            Array.from(ul.children, (li) => {
              const link = li.querySelector(':scope > a.menu__link, :scope > div > a.menu__link');
              const href = link?.getAttribute('href');
              const item = {
                label: link?.textContent.trim(),
                href: href && href !== '#' ? new URL(link.href).pathname.replace(/(.)\/+$/, '$1') : undefined,
              };
              const sub = li.querySelector(':scope > ul');
              if (sub) item.items = read(sub);
              return item;
            });
          return read(menu);
        });

        // The library's category links to its index page; under it, the groups and pages.
        const libraryCategory = shown.find((item) => item.href === `${prefix}${DOCS_ROUTE}/${library.name}`);
        assert.ok(libraryCategory?.items, `a sidebar category for ${library.name}: ${JSON.stringify(shown)}`);
        const withoutCategoryLinks = (item) =>
          item.items ? {label: item.label, items: item.items.map(withoutCategoryLinks)} : item;
        const expected = (item) =>
          item.kind === 'page'
            ? {label: item.label, href: item.url}
            : {label: item.label, items: item.items.map(expected)};
        assert.deepEqual(
          libraryCategory.items.map(withoutCategoryLinks),
          library.items.map(expected),
          'groups in _category_.json position order, pages in sidebar_position order',
        );
      } finally {
        await page.close();
      }
    }
  });

  test('search, offline: a method is found by its OPI name, Rust name, REST method and words of its description, and opens', async () => {
    const queries = ['DeleteUserFromChat', 'delete_user_from_chat', 'im.chat.user.delete', 'removes member group chat'];
    for (const query of queries) {
      const page = await open('/');
      try {
        const input = page.locator('input.navbar__search-input');
        assert.equal(await input.count(), 1, 'a search box in the navbar');
        await input.click();
        await input.pressSequentially(query, {delay: 20});
        const suggestions = page.locator('[role="listbox"] [role="option"]');
        await suggestions.first().waitFor({state: 'visible', timeout: 10_000});
        const texts = (await suggestions.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
        const at = texts.findIndex((t) => t.includes('Delete user from chat'));
        assert.ok(at >= 0, `"${query}" finds the page: ${JSON.stringify(texts)}`);
        if (query === queries[0]) {
          fs.mkdirSync(screenshotDir, {recursive: true});
          await page.screenshot({path: path.join(screenshotDir, 'search.png')});
        }
        await suggestions.nth(at).click();
        await page.waitForURL(/delete-user-from-chat/, {timeout: 10_000});
        // The site moves to the page in place: its title comes once it is drawn.
        const title = page.locator('article h1', {hasText: 'Delete user from chat'});
        await title.waitFor({state: 'visible', timeout: 10_000});
      } finally {
        await page.close();
      }
    }
  });

  test('each locale\'s DeleteUserFromChat page speaks its language, and the switch keeps the page', async () => {
    const english = expectedPages.find((p) => p.name === 'delete-user-from-chat.md');
    for (const locale of locales) {
      const source = allPages(translated[locale]).find((p) => p.name === 'delete-user-from-chat.md');
      assert.ok(source?.description, `a ${locale} page for DeleteUserFromChat`);
      const page = await open(english.url);
      try {
        // The reader switches language from the navbar: the same page, in the other language.
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        const dropdown = page.locator('.navbar__items--right .dropdown').first();
        await dropdown.hover();
        const link = dropdown.locator(`a[lang="${locale}"]`);
        assert.equal(await link.count(), 1, `the language switch offers ${locale}`);
        await link.click();
        await page.waitForURL((url) => normalizePath(url.pathname) === source.url, {timeout: 10_000});
        await page.locator('article h1', {hasText: source.title}).waitFor({state: 'visible', timeout: 10_000});
        assert.equal(await page.locator('html').getAttribute('lang'), locale);

        // The page's own words and the spec's prose, in that language.
        const article = page.locator('article');
        assert.equal((await article.locator('h1').innerText()).trim(), source.title);
        assert.notEqual(source.title, english.title, 'the title is translated');
        assert.equal(await page.locator('meta[name="description"]').getAttribute('content'), source.description);
        const header = (await article.locator('table thead th').allInnerTexts()).map((t) => t.trim());
        assert.equal(header.length, 5, 'five columns');
        assert.notDeepEqual(header, ['Parameter', 'CLI option', 'Type', 'Required', 'Description']);
        const rows = await article.locator('table tbody tr').evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent.trim())),
        );
        assert.deepEqual(rows.map((cells) => cells.slice(0, 4)), [
          ['URL', '--url', 'String', '\u2714'],
          ['ChatID', '--chat', 'String, Number', '\u2714'],
          ['UserID', '--user', 'String, Number', '\u2714'],
          ['Token', '--token', 'String', '\u2716'],
        ]);
        // The command lines are the same in every language, and their tabs still switch.
        const blocks = article.locator('.theme-code-block');
        assert.equal(await blocks.count(), 5, 'five code blocks');
        const tabs = article.locator('[role="tab"]');
        await tabs.nth(1).click();
        assert.ok(await blocks.nth(2).isVisible(), 'CMD\'s tab after a click');
        assert.match(await blocks.nth(2).locator('pre code').innerText(), /^oint bitrix24 DeleteUserFromChat \^/);
        // The search box speaks it (the words oint-codegen writes for the locale).
        const code = JSON.parse(fs.readFileSync(path.join(i18nDir, locale, 'code.json'), 'utf8'));
        const label = code['theme.SearchBar.label'].message;
        assert.notEqual(label, 'Search', 'the search box is translated');
        assert.equal(await page.locator('input.navbar__search-input').getAttribute('placeholder'), label);
        // The sidebar is in that language too.
        const group = page.locator('.theme-doc-sidebar-menu a.menu__link--active[aria-current="page"]');
        assert.equal((await group.innerText()).trim(), source.title, 'the sidebar marks the page by its title');

        fs.mkdirSync(screenshotDir, {recursive: true});
        await page.screenshot({path: path.join(screenshotDir, `delete-user-from-chat.${locale}.png`), fullPage: true});

        // And back: the switch offers English, which opens the English page.
        const back = page.locator('.navbar__items--right .dropdown').first();
        await back.hover();
        await back.locator('a[lang="en"]').click();
        await page.waitForURL((url) => normalizePath(url.pathname) === english.url, {timeout: 10_000});
        await page.locator('article h1', {hasText: english.title}).waitFor({state: 'visible', timeout: 10_000});
      } finally {
        await page.close();
      }
    }
  });

  test('search in each locale finds a method by words of its translated description, and opens it', async () => {
    for (const locale of locales) {
      const source = allPages(translated[locale]).find((p) => p.name === 'delete-user-from-chat.md');
      // Two words of the page's description, as a reader of that language would type them.
      const words = source.description.replace(/[.,:;«»"]/g, '').split(/\s+/).slice(0, 2).join(' ');
      const page = await open(`/${locale}/`);
      try {
        const input = page.locator('input.navbar__search-input');
        await input.click();
        await input.pressSequentially(words, {delay: 20});
        const suggestions = page.locator('[role="listbox"] [role="option"]');
        await suggestions.first().waitFor({state: 'visible', timeout: 10_000});
        const texts = (await suggestions.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
        const at = texts.findIndex((t) => t.includes(source.title));
        assert.ok(at >= 0, `"${words}" finds the ${locale} page: ${JSON.stringify(texts)}`);
        fs.mkdirSync(screenshotDir, {recursive: true});
        await page.screenshot({path: path.join(screenshotDir, `search.${locale}.png`)});
        await suggestions.nth(at).click();
        await page.waitForURL((url) => normalizePath(url.pathname) === source.url, {timeout: 10_000});
        await page.locator('article h1', {hasText: source.title}).waitFor({state: 'visible', timeout: 10_000});
      } finally {
        await page.close();
      }
    }
  });

  test('the landing page sends each kind of reader to their start, in each locale', async () => {
    const firstHeadings = new Set();
    for (const prefix of ['', ...locales.map((locale) => `/${locale}`)]) {
      const landing = await open(`${prefix}/`);
      try {
        // The page of that locale, in its language: no fallback to the English one.
        assert.equal(await landing.locator('html').getAttribute('lang'), prefix ? prefix.slice(1) : 'en');
        firstHeadings.add((await landing.locator('main h2').first().innerText()).trim());
        // Four readers, four starts: each a section of the getting-started guide.
        const starts = landing.locator(`main a[href^="${prefix}${DOCS_ROUTE}/guides/getting-started#"]`);
        const anchors = await starts.evaluateAll((as) => as.map((a) => new URL(a.href).hash));
        assert.deepEqual(anchors, ['#rust', '#cli', '#spec', '#site'], `the starts of ${prefix || '/'}`);
        for (const anchor of anchors) {
          await landing.locator(`main a[href$="getting-started${anchor}"]`).click();
          await landing.waitForURL((url) => url.hash === anchor, {timeout: 10_000});
          const heading = landing.locator(`article h2${anchor}`);
          await heading.waitFor({state: 'visible', timeout: 10_000});
          assert.ok((await heading.innerText()).trim().length > 5, `the section ${anchor} has its heading`);
          await landing.goBack();
          await landing.locator('main h1').waitFor({state: 'visible', timeout: 10_000});
        }
        // The guides' index, in the landing page's language.
        const guides = landing.locator(`main a[href="${prefix}${DOCS_ROUTE}/guides"]`);
        assert.equal(await guides.count(), 1, 'a link to every guide');
        fs.mkdirSync(screenshotDir, {recursive: true});
        await landing.screenshot({
          path: path.join(screenshotDir, `landing${prefix ? `.${prefix.slice(1)}` : ''}.png`),
          fullPage: true,
        });
      } finally {
        await landing.close();
      }
    }
    assert.equal(firstHeadings.size, 1 + locales.length, `a landing page per language: ${[...firstHeadings]}`);
  });

  test('nothing went wrong in the browser and nothing left the machine', () => {
    assert.ok(opened > 10, `the tests opened ${opened} pages`);
    assert.deepEqual(pageErrors, [], 'uncaught errors in the pages');
    assert.deepEqual(consoleErrors, [], 'console errors');
    assert.deepEqual(externalRequests, [], 'requests outside the local server');
  });
});
