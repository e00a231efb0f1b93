// A person's use of the documentation pages, in headless Chromium (Debian's, driven by playwright-core):
// the embedded default config's first start prints an API key and the admin password; the test gets a
// token from /token with them, opens /docs, authorizes with the key and the token, tries POST /generate
// and sees a 200 with a spec; then /redoc renders. Nothing may be loaded from anywhere but the server.
// Screenshots are kept under <build>/test-artefacts/browser/.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { artefactDir, runTest } = require('./support');

const kChromium = process.env.P2J_CHROMIUM || '/usr/bin/chromium';
// As root, without the network: no sandbox, no GPU, and none of Chromium's own connections.
const kChromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

runTest('browser', { config: 'config/p2j.yaml', deadlineMs: 180000 }, async (server) => {
  const artefacts = artefactDir('browser');
  const credentials = server.firstStartCredentials();
  const token = await server.token(credentials);

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'p2j-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: kChromium, headless: true, args: kChromiumFlags, viewport: { width: 1280, height: 900 },
  });
  const elsewhere = [];
  const problems = [];
  try {
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === server.url || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      elsewhere.push(url.href);
      return route.abort();
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const generateRequests = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${server.url}/generate`) generateRequests.push(request);
    });

    // Swagger UI: the document loads, the title is the server's.
    await page.goto(`${server.url}/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'p2j' }).waitFor({ timeout: 30000 });

    // Authorize: the API key scheme and the bearer scheme, as the document declares them.
    await page.locator('.swagger-ui .auth-wrapper button.authorize').click();
    const dialog = page.locator('.swagger-ui .modal-ux');
    await dialog.waitFor();
    for (const [scheme, value] of [['key', credentials.apiKey], ['jwt', token]]) {
      const container = dialog.locator('.auth-container', { has: page.locator(`h4:has-text("${scheme}")`) });
      await container.locator('input').first().fill(value);
      await container.locator('button.authorize').click();
    }
    await dialog.locator('button.btn-done, button.close-modal').first().click();

    // Try it out on POST /generate with the documented example.
    const operation = page.locator('#operations-Design-postGenerate');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    const body = operation.locator('textarea.body-param__text');
    expect((await body.inputValue()).includes('10-story office building'), 'the example body is not prefilled');
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: 30000 });
    const statusText = (await status.innerText()).trim();
    const answer = await operation.locator('.live-responses-table tr.response .response-col_description pre').first().innerText();
    await operation.locator('.request-url').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artefacts, 'swagger-ui-generate.png') });
    expect(statusText.startsWith('200'), `Try it out answered ${statusText}: ${answer.slice(0, 500)}`);
    expect(answer.includes('"design_type"') && answer.includes('"spec_id"'), `no spec in the page: ${answer.slice(0, 500)}`);
    expect(generateRequests.length === 1, `${generateRequests.length} POST /generate requests were sent`);
    const sent = generateRequests[0].headers();
    expect(sent['x-api-key'] === credentials.apiKey, 'the request did not carry the API key');
    expect(sent.authorization === `Bearer ${token}`, 'the request did not carry the bearer token');
    console.log(`swagger ui: POST /generate answered ${statusText} in the page`);

    // ReDoc renders the same document: the title and an operation's summary.
    await page.goto(`${server.url}/redoc`);
    await page.locator('h1', { hasText: 'p2j' }).first().waitFor({ timeout: 30000 });
    await page.locator('h2', { hasText: 'Turn a prompt into a design specification and store it' }).first()
      .waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(artefacts, 'redoc.png'), fullPage: false });
    console.log('redoc: rendered');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  expect(elsewhere.length === 0, `the pages tried to load from elsewhere: ${elsewhere.join(', ')}`);
  // The policy refusing something of the server's own (an inline script, a file) would break a page; its
  // refusing a load from elsewhere (ReDoc's "API docs by Redocly" logo on a CDN) is what it is there for.
  const refusals = problems.filter((text) => /Content Security Policy|Refused to/i.test(text));
  const external = refusals.filter((text) => /'https?:\/\//.test(text) && !text.includes(`'${server.url}`));
  const broken = refusals.filter((text) => !external.includes(text));
  for (const text of external) console.log(`refused by the page's policy, as it should be: ${text.slice(0, 160)}`);
  expect(broken.length === 0, `the pages' Content-Security-Policy blocked their own content: ${broken.join('\n')}`);
  console.log(`screenshots: ${artefacts}`);
});
