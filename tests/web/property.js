// The property-based API test, driven by /openapi.json (what schemathesis does, with fast-check from npm):
// for every operation of every endpoint, random requests — bodies the schema accepts and bodies that break
// it, path parameters, query parameters, credentials and headers — and for every answer:
//   no 5xx; the status is one the operation declares; a JSON answer matches the schema declared for it
//   (ajv, JSON Schema 2020-12 as OpenAPI 3.1 says); X-Request-ID is there.
// fast-check shrinks a failure to a small request and prints its seed; P2J_PROPERTY_SEED replays a run,
// P2J_PROPERTY_RUNS sets the requests per operation (default 60).
'use strict';

const fc = require('fast-check');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const fs = require('node:fs');
const path = require('node:path');
const { artefactDir, runTest } = require('./support');
const { broken, garbageText, resolve, valid } = require('./schema_arbitrary');

const kCredentials = {
  P2J_API_KEY: 'property-key-0123456789abcdef',
  P2J_JWT_SECRET: 'property-secret-0123456789abcdef0123456789',
  P2J_ADMIN_USER: 'admin',
  P2J_ADMIN_PASSWORD: 'property-password-123',
};
const kRuns = Number(process.env.P2J_PROPERTY_RUNS || 60);
const kSeed = process.env.P2J_PROPERTY_SEED ? Number(process.env.P2J_PROPERTY_SEED) : Date.now() % 2147483647;

const pointerToken = (name) => name.replace(/~/g, '~0').replace(/\//g, '~1');

class Oracle {
  constructor(document) {
    this.document = document;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: 'p2j:openapi' });
    this.validators = new Map();
  }

  validator(pointer) {
    if (!this.validators.has(pointer)) this.validators.set(pointer, this.ajv.compile({ $ref: `p2j:openapi#${pointer}` }));
    return this.validators.get(pointer);
  }

  // Throws, naming the request, when the answer breaks the document.
  check(route, method, request, answer, bodyText) {
    const { body: sent, ...rest } = request.summary;
    const where = `${method.toUpperCase()} ${request.url} ${JSON.stringify(rest)} body ${JSON.stringify(sent || '').slice(0, 160)}`
      + ` -> ${answer.status}`;
    if (answer.status >= 500) throw new Error(`5xx: ${where}: ${bodyText.slice(0, 500)}`);
    const responses = this.document.paths[route][method].responses;
    const declared = responses[String(answer.status)];
    if (!declared) throw new Error(`undeclared status: ${where}: ${bodyText.slice(0, 300)}`);
    if (!answer.headers.get('x-request-id')) throw new Error(`no X-Request-ID: ${where}`);
    if (!declared.content || !declared.content['application/json'] || method === 'head') return;
    const type = answer.headers.get('content-type') || '';
    if (!type.startsWith('application/json')) throw new Error(`declared JSON, got ${type}: ${where}`);
    let body;
    try {
      body = JSON.parse(bodyText);
    } catch {
      throw new Error(`not JSON: ${where}: ${bodyText.slice(0, 300)}`);
    }
    const pointer = `/paths/${pointerToken(route)}/${method}/responses/${answer.status}/content/application~1json/schema`;
    const validate = this.validator(pointer);
    if (!validate(body)) {
      throw new Error(`answer breaks its schema: ${where}: ${this.ajv.errorsText(validate.errors)}\n${bodyText.slice(0, 500)}`);
    }
  }
}

// Ids that exist, filled as the run creates records, so path parameters hit real rows as well as misses.
const known = { id: [], session_id: [], file: [] };

function remember(route, body) {
  if (!body || typeof body !== 'object') return;
  if (body.spec_id) known.id.push(body.spec_id);
  if (body.report_id) known.id.push(body.report_id);
  if (body.session_id) known.session_id.push(body.session_id);
}

const pathValue = fc.oneof(
  { weight: 3, arbitrary: fc.record({ known: fc.nat() }) },
  { weight: 1, arbitrary: fc.uuid().map((v) => ({ literal: v })) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).map((v) => ({ literal: v })) },
  { weight: 1, arbitrary: fc.constantFrom('..', '%00', '%2e%2e%2f', 'a'.repeat(300), '-', ';DROP TABLE specs')
    .map((v) => ({ raw: v })) },
);

function resolvePathValue(name, choice) {
  if (choice.raw !== undefined) return choice.raw;
  if (choice.known !== undefined) {
    const pool = known[name] || [];
    if (pool.length) return encodeURIComponent(pool[choice.known % pool.length]);
    return 'no-such-id';
  }
  return encodeURIComponent(choice.literal);
}

const credentials = fc.oneof(
  { weight: 6, arbitrary: fc.constant('valid') },
  { weight: 1, arbitrary: fc.constantFrom('none', 'key-only', 'bad-key', 'bad-token', 'garbage-authorization') },
);

function authHeaders(mode, token) {
  const key = kCredentials.P2J_API_KEY;
  switch (mode) {
    case 'valid': return { 'X-API-Key': key, Authorization: `Bearer ${token}` };
    case 'none': return {};
    case 'key-only': return { 'X-API-Key': key };
    case 'bad-key': return { 'X-API-Key': `${key}x`, Authorization: `Bearer ${token}` };
    case 'bad-token': return { 'X-API-Key': key, Authorization: `Bearer ${token.slice(0, -4)}AAAA` };
    default: return { 'X-API-Key': key, Authorization: 'Bearer a.b.c' };
  }
}

const otherHeaders = fc.record({
  requestId: fc.option(fc.oneof(fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), fc.uuid())),
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/problem+json') },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '') },
  ),
  acceptEncoding: fc.constantFrom(undefined, 'gzip', 'br, gzip;q=0'),
});

function requestArbitrary(route, method, operation, document) {
  const media = operation.requestBody && operation.requestBody.content['application/json'];
  let body = fc.constant(undefined);
  if (media) {
    const schema = resolve(media.schema, document);
    const hints = { spec_id: fc.nat().map((i) => known.id[i % Math.max(known.id.length, 1)] || 'no-such-id') };
    const choices = [
      { weight: 3, arbitrary: valid(schema, document, hints).map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: broken(schema, document, hints).map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: garbageText },
    ];
    if (media.example !== undefined) choices.push({ weight: 3, arbitrary: fc.constant(JSON.stringify(media.example)) });
    body = fc.oneof(...choices);
  }
  const parameters = (operation.parameters || []).map((p) => resolve(p, document));
  const pathParameters = parameters.filter((p) => p.in === 'path');
  const queryParameters = parameters.filter((p) => p.in === 'query');
  return fc.record({
    body,
    path: fc.tuple(...pathParameters.map(() => pathValue)),
    query: fc.tuple(...queryParameters.map((p) => fc.option(fc.oneof(
      valid(p.schema, document).map(String), fc.string({ maxLength: 20 }), fc.constantFrom('-1', '0', '1e3', '99999999999')),
    ))),
    credentials,
    headers: otherHeaders,
  }).map((generated) => {
    let url = route;
    pathParameters.forEach((p, i) => {
      url = url.replace(`{${p.name}}`, resolvePathValue(p.name, generated.path[i]));
    });
    const query = queryParameters.map((p, i) => [p.name, generated.query[i]]).filter(([, v]) => v !== null);
    if (query.length) url += `?${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
    return { ...generated, url, summary: { ...generated, body: generated.body && generated.body.slice(0, 200) } };
  });
}

async function send(server, method, request, token) {
  const headers = { ...authHeaders(request.credentials, token) };
  if (request.headers.requestId !== null) headers['X-Request-ID'] = request.headers.requestId;
  if (request.headers.acceptEncoding) headers['Accept-Encoding'] = request.headers.acceptEncoding;
  const init = { method: method.toUpperCase(), headers };
  if (request.body !== undefined) {
    init.body = request.body;
    if (request.headers.contentType) headers['Content-Type'] = request.headers.contentType;
  }
  const answer = await fetch(`${server.url}${request.url}`, init);
  return { answer, text: await answer.text() };
}

runTest('property', { config: 'tests/data/api.yaml', env: kCredentials, deadlineMs: 540000 }, async (server) => {
  const document = await server.document();
  fs.writeFileSync(path.join(artefactDir('property'), 'openapi.json'), JSON.stringify(document, null, 2));
  const oracle = new Oracle(document);
  const token = await server.token({ apiKey: kCredentials.P2J_API_KEY, username: 'admin',
    password: kCredentials.P2J_ADMIN_PASSWORD });
  // The documentation pages name the asset files that exist.
  for (const page of ['/docs', '/redoc']) {
    const html = await (await fetch(`${server.url}${page}`)).text();
    for (const match of html.matchAll(/assets\/([\w.-]+)"/g)) known.file.push(match[1]);
  }
  console.log(`seed ${kSeed}, ${kRuns} requests per operation`);

  let total = 0;
  const statuses = {};
  for (const [route, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const started = Date.now();
      const counted = {};
      await fc.assert(
        fc.asyncProperty(requestArbitrary(route, method, operation, document), async (request) => {
          // fetch resolves dot segments (/specs/.. is /): such a request would be another endpoint's.
          fc.pre(new URL(request.url, server.url).pathname === request.url.split('?')[0]);
          const { answer, text } = await send(server, method, request, token);
          ++total;
          counted[answer.status] = (counted[answer.status] || 0) + 1;
          oracle.check(route, method, request, answer, text);
          if (answer.status === 200 && (answer.headers.get('content-type') || '').startsWith('application/json')) {
            remember(route, JSON.parse(text));
          }
        }),
        { numRuns: kRuns, seed: kSeed, includeErrorInReport: true, interruptAfterTimeLimit: 60000, markInterruptAsFailure: false },
      );
      for (const [status, n] of Object.entries(counted)) statuses[status] = (statuses[status] || 0) + n;
      console.log(`${method.toUpperCase()} ${route}: ${JSON.stringify(counted)} in ${Date.now() - started} ms`);
    }
  }
  console.log(`${total} requests, statuses ${JSON.stringify(statuses)}`);
  if (!statuses['200'] || !statuses['401'] || !statuses['422']) {
    throw new Error('the run did not reach successes, refusals and validation errors: the generators are off');
  }
});
