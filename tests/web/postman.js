// The Postman collection of the API, generated from the live /openapi.json by openapi-to-postmanv2, given
// status and shape tests from the same document, and run by newman against the real server.
//   node tests/web/postman.js                 the ctest run (starts p2j with tests/data/api.yaml)
//   node tests/web/postman.js --out FILE URL  only writes the collection of the server at URL
// Every request asserts that its status is one the operation declares and that a JSON answer matches the
// schema declared for that status, and, since each sends its documented example or what an earlier request
// created, a 2xx. The collection logs in first (/token, with {{username}} and
// {{password}}), sends X-API-Key: {{apiKey}} and the bearer token on every request, and carries the ids
// it creates into the requests that read them.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Converter = require('openapi-to-postmanv2');
const newman = require('newman');
const { artefactDir, runTest } = require('./support');

const kCredentials = {
  P2J_API_KEY: 'postman-key-0123456789abcdef',
  P2J_JWT_SECRET: 'postman-secret-0123456789abcdef0123456789',
  P2J_ADMIN_USER: 'admin',
  P2J_ADMIN_PASSWORD: 'postman-password-123',
};

// A copy of `schema` with every $ref replaced by what it points to (the sandbox's validator sees no document).
function inlined(schema, document, depth = 0) {
  if (depth > 40) throw new Error('a $ref cycle');
  if (Array.isArray(schema)) return schema.map((item) => inlined(item, document, depth + 1));
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.$ref) {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce((node, token) => node[token.replace(/~1/g, '/')], document);
    return inlined(target, document, depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inlined(value, document, depth + 1)]));
}

function convert(document) {
  return new Promise((resolve, reject) => {
    // The converter writes into what it is given (it caps arrays for its examples): it gets a copy.
    Converter.convert({ type: 'json', data: structuredClone(document) }, {
      folderStrategy: 'Tags', requestParametersResolution: 'Example', exampleParametersResolution: 'Example',
      includeAuthInfoInExample: false, optimizeConversion: false,
    }, (error, result) => {
      if (error) return reject(error);
      if (!result.result) return reject(new Error(result.reason));
      return resolve(result.output[0].data);
    });
  });
}

// The operation a converted request came from: its method and its path with :variables as {variables}.
function operationOf(item, document) {
  const method = item.request.method.toLowerCase();
  const segments = item.request.url.path.map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment));
  const route = `/${segments.join('/')}`;
  const operation = document.paths[route] && document.paths[route][method];
  if (!operation) throw new Error(`no operation for ${method.toUpperCase()} ${route}`);
  return { route, method, operation };
}

// Where each request gets what an earlier one created.
const kIdVariables = { '/specs/{id}': ['id', 'specId'], '/reports/{id}': ['id', 'reportId'],
  '/iterations/{session_id}': ['session_id', 'sessionId'] };
const kOrder = ['/token', '/token/refresh', '/generate', '/evaluate', '/iterate'];

function testScript({ route, method, operation }, document) {
  const schemas = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    const media = response.content && response.content['application/json'];
    if (media) schemas[status] = inlined(media.schema, document);
  }
  const declared = Object.keys(operation.responses).map(Number);
  const lines = [
    `const declared = ${JSON.stringify(declared)};`,
    `const schemas = ${JSON.stringify(schemas)};`,
    `pm.test('${method.toUpperCase()} ${route}: the status is declared', () => pm.expect(declared).to.include(pm.response.code));`,
    'const schema = schemas[String(pm.response.code)];',
    `if (schema) pm.test('${method.toUpperCase()} ${route}: the answer matches its schema', () => pm.response.to.have.jsonSchema(schema));`,
    `pm.test('${method.toUpperCase()} ${route}: X-Request-ID', () => pm.response.to.have.header('X-Request-ID'));`,
  ];
  lines.push(`pm.test('${method.toUpperCase()} ${route}: succeeds', () => pm.expect(pm.response.code).to.be.within(200, 299));`);
  if (route === '/token' || route === '/token/refresh') {
    lines.push("pm.collectionVariables.set('bearerToken', pm.response.json().access_token);");
    lines.push("pm.collectionVariables.set('refreshToken', pm.response.json().refresh_token);");
  }
  if (route === '/generate') lines.push("pm.collectionVariables.set('specId', pm.response.json().spec_id);");
  if (route === '/evaluate') lines.push("pm.collectionVariables.set('reportId', pm.response.json().report_id);");
  if (route === '/iterate') lines.push("pm.collectionVariables.set('sessionId', pm.response.json().session_id);");
  return lines;
}

async function collectionFor(document) {
  const collection = await convert(document);
  const items = [];
  const flatten = (list) => list.forEach((entry) => (entry.item ? flatten(entry.item) : items.push(entry)));
  flatten(collection.item);
  for (const item of items) {
    const found = operationOf(item, document);
    const { route } = found;
    delete item.request.auth;  // the collection's auth below: both schemes, on every request
    item.response = [];
    const ids = kIdVariables[route];
    if (ids) item.request.url.variable.find((v) => v.key === ids[0]).value = `{{${ids[1]}}}`;
    if (route === '/docs/assets/{file}') item.request.url.variable.find((v) => v.key === 'file').value = 'swagger-ui.css';
    if (route === '/token') item.request.body.raw = '{"username": "{{username}}", "password": "{{password}}"}';
    if (route === '/token/refresh') item.request.body.raw = '{"refresh_token": "{{refreshToken}}"}';
    for (const query of item.request.url.query || []) {
      if (query.key === 'retention_days') query.value = '30';
    }
    if (route === '/feedback') item.request.body.raw = '{"spec_id": "{{specId}}", "rating": 5, "comment": "Useful"}';
    item.event = [{ listen: 'test', script: { type: 'text/javascript', exec: testScript(found, document) } }];
  }
  const rank = (item) => {
    const index = kOrder.indexOf(operationOf(item, document).route);
    if (index >= 0) return index;
    return kIdVariables[operationOf(item, document).route] ? kOrder.length + 1 : kOrder.length;
  };
  collection.item = items.sort((a, b) => rank(a) - rank(b));
  collection.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{bearerToken}}', type: 'string' }] };
  collection.event = [{ listen: 'prerequest', script: { type: 'text/javascript', exec: [
    "pm.request.headers.upsert({ key: 'X-API-Key', value: pm.variables.get('apiKey') });",
  ] } }];
  collection.variable = [
    { key: 'baseUrl', value: '' }, { key: 'apiKey', value: '' }, { key: 'username', value: '' },
    { key: 'password', value: '' }, { key: 'bearerToken', value: '' }, { key: 'refreshToken', value: '' },
    { key: 'specId', value: '' }, { key: 'reportId', value: '' }, { key: 'sessionId', value: '' },
  ];
  return collection;
}

function run(collection, variables, reportFile) {
  return new Promise((resolve, reject) => {
    newman.run({
      collection,
      envVar: Object.entries(variables).map(([key, value]) => ({ key, value })),
      reporters: ['cli', 'junit'],
      reporter: { junit: { export: reportFile } },
      timeoutRequest: 60000,
    }, (error, summary) => (error ? reject(error) : resolve(summary)));
  });
}

async function main() {
  const out = process.argv.indexOf('--out');
  if (out > 0) {
    const url = process.argv[out + 2];
    const document = await (await fetch(`${url}/openapi.json`)).json();
    fs.writeFileSync(process.argv[out + 1], JSON.stringify(await collectionFor(document), null, 2));
    return;
  }
  runTest('postman', { config: 'tests/data/api.yaml', env: kCredentials, deadlineMs: 240000 }, async (server) => {
    const artefacts = artefactDir('postman');
    const collection = await collectionFor(await server.document());
    const file = path.join(artefacts, 'p2j.postman_collection.json');
    fs.writeFileSync(file, JSON.stringify(collection, null, 2));
    const summary = await run(collection, { baseUrl: server.url, apiKey: kCredentials.P2J_API_KEY, username: 'admin',
      password: kCredentials.P2J_ADMIN_PASSWORD }, path.join(artefacts, 'newman.xml'));
    const { assertions, requests } = summary.run.stats;
    console.log(`newman: ${requests.total} requests, ${assertions.total} assertions, ${assertions.failed} failed (${file})`);
    if (summary.run.failures.length || requests.total < collection.item.length || assertions.total === 0) {
      throw new Error(summary.run.failures.map((f) => `${f.source && f.source.name}: ${f.error.message}`).join('\n'));
    }
  });
}

main().catch((error) => {
  console.error(error.stack || error);
  process.exit(1);
});
