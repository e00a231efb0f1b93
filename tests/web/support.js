// What the npm-based API tests share: the real p2j binary started on a free 127.0.0.1 port with a config
// from the repository and a fresh data directory, its first-start credentials, and a bounded run.
// Paths come from ctest's environment (tests/CMakeLists.txt): P2J_BINARY, P2J_SOURCE_DIR, P2J_ARTEFACTS.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest`);
  return value;
}

const binary = () => required('P2J_BINARY');

// A file inside an installed npm package: the packages are in NODE_PATH (the build tree's node_modules).
function modulePath(relative) {
  for (const dir of (process.env.NODE_PATH || '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${relative} is not in NODE_PATH (${process.env.NODE_PATH}): build the p2j_web_test_tools target`);
}
const sourceDir = () => required('P2J_SOURCE_DIR');

// A directory under the build tree for what a run leaves to look at (screenshots, documents, reports).
function artefactDir(name) {
  const dir = path.join(required('P2J_ARTEFACTS'), name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Server {
  constructor(configFile, env = {}) {
    this.configFile = configFile;
    this.env = env;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'p2j-web-'));
    this.stderr = '';
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 20000) {
    this.port = await freePort();
    this.process = spawn(binary(), ['serve', '--config', this.configFile, '--listen', `127.0.0.1:${this.port}`], {
      env: { ...process.env, P2J_DATA_DIR: path.join(this.dir, 'data'), ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.process.stderr.on('data', (chunk) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`p2j exited at start-up:\n${this.stderr}`);
      try {
        const answer = await fetch(`${this.url}/livez`);
        if (answer.status === 200) return this;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`p2j did not answer within ${timeoutMs} ms:\n${this.stderr}`);
  }

  // What the first start printed once: the generated API key and the admin user's password.
  firstStartCredentials() {
    const key = /X-API-Key: (\S+)/.exec(this.stderr);
    const password = /password: (\S+)/.exec(this.stderr);
    if (!key || !password) throw new Error(`no first-start credentials in p2j's output:\n${this.stderr}`);
    return { apiKey: key[1], username: 'admin', password: password[1] };
  }

  async token({ apiKey, username, password }) {
    const answer = await fetch(`${this.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
      body: JSON.stringify({ username, password }),
    });
    if (answer.status !== 200) throw new Error(`/token answered ${answer.status}: ${await answer.text()}`);
    return (await answer.json()).access_token;
  }

  async document() {
    const answer = await fetch(`${this.url}/openapi.json`);
    if (answer.status !== 200) throw new Error(`/openapi.json answered ${answer.status}`);
    return answer.json();
  }

  // SIGTERM, then the exit code; p2j drains and must exit 0.
  async stop() {
    if (!this.process || this.process.exitCode !== null) return this.process ? this.process.exitCode : null;
    this.process.kill('SIGTERM');
    const { code } = await Promise.race([this.exited, sleep(30000).then(() => ({ code: 'timeout' }))]);
    if (code === 'timeout') this.process.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}

// Runs `body` with a server, stops it whatever happens, and ends the process with the test's verdict: exit
// code 0 only when `body` resolved and the server stopped cleanly. A deadline bounds the whole run.
async function runTest(name, { config, env, deadlineMs }, body) {
  const started = Date.now();
  const timer = setTimeout(() => {
    console.error(`${name}: over the ${deadlineMs / 1000} s deadline`);
    process.exit(1);
  }, deadlineMs);
  const server = new Server(path.join(sourceDir(), config), env);
  let failed = false;
  try {
    await server.start();
    await body(server);
  } catch (error) {
    failed = true;
    console.error(`${name}: FAILED: ${error.stack || error}`);
  } finally {
    const code = await server.stop();
    if (code !== 0) {
      failed = true;
      console.error(`${name}: p2j exited with ${code}:\n${server.stderr.slice(-4000)}`);
    }
    clearTimeout(timer);
  }
  console.log(`${name}: ${failed ? 'failed' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}

module.exports = { Server, artefactDir, modulePath, runTest, sourceDir, sleep };
