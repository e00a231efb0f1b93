// /openapi.json of the default config and of the API tests' config (every action plus /v2/generate) is
// linted by Redocly CLI with its recommended rules (tests/web/redocly.yaml): no error and no warning.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Server, artefactDir, modulePath, sourceDir } = require('./support');

const redocly = modulePath('@redocly/cli/bin/cli.js');

async function lint(config) {
  const server = await new Server(path.join(sourceDir(), config)).start();
  let document;
  try {
    document = await server.document();
  } finally {
    const code = await server.stop();
    if (code !== 0) throw new Error(`p2j exited with ${code}:\n${server.stderr}`);
  }
  const file = path.join(artefactDir('openapi'), `${path.basename(config, '.yaml')}.openapi.json`);
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  const run = spawnSync(process.execPath, [redocly, 'lint', file, '--config', path.join(__dirname, 'redocly.yaml'),
    '--format', 'json'], { encoding: 'utf8', timeout: 120000, env: { ...process.env, REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
  if (run.error) throw run.error;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`redocly printed no JSON report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const { errors, warnings } = report.totals;
  for (const problem of report.problems) {
    console.log(`${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location.map((l) => l.pointer).join(', ')}`);
  }
  console.log(`${config}: ${Object.keys(document.paths).length} paths, ${errors} errors, ${warnings} warnings (${file})`);
  return errors + warnings;
}

(async () => {
  const timer = setTimeout(() => {
    console.error('lint: over the 180 s deadline');
    process.exit(1);
  }, 180000);
  let problems = 0;
  try {
    for (const config of ['config/p2j.yaml', 'tests/data/api.yaml']) problems += await lint(config);
  } catch (error) {
    console.error(error.stack || error);
    process.exit(1);
  }
  clearTimeout(timer);
  process.exit(problems === 0 ? 0 : 1);
})();
