// What a schema cannot see in packaging/docker-compose.yml: every build context, Dockerfile and bind-mounted
// file exists, every named volume is declared, every depends_on names a service. Prints one line per p2j
// configuration a service mounts, for tests/packaging/lint.sh to check with `p2j check-config`:
//   <host path of the YAML>\t<JSON of the service's environment>
//   node compose_check.mjs COMPOSE_FILE
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";

const file = process.argv[2];
const dir = dirname(resolve(file));
const compose = parse(readFileSync(file, "utf8"), { merge: true });
const problems = [];
const services = compose.services ?? {};
const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));

for (const [name, service] of Object.entries(services)) {
  if (service.build) {
    const context = resolve(dir, service.build.context ?? ".");
    if (!existsSync(context)) problems.push(`${name}: build context ${context} does not exist`);
    const dockerfile = resolve(context, service.build.dockerfile ?? "Dockerfile");
    if (!existsSync(dockerfile)) problems.push(`${name}: ${dockerfile} does not exist`);
  }
  for (const dependency of Object.keys(service.depends_on ?? {})) {
    if (!services[dependency]) problems.push(`${name}: depends_on names no service '${dependency}'`);
  }
  for (const volume of service.volumes ?? []) {
    const [source, target] = String(volume).split(":");
    if (source.startsWith(".") || source.startsWith("/")) {
      const path = resolve(dir, source);
      if (!existsSync(path)) problems.push(`${name}: the bind mount ${path} does not exist`);
      const command = service.command ?? [];
      const at = command.indexOf("--config");
      if (target.endsWith(".yaml") && at >= 0 && command[at + 1] === target) {
        console.log(`${path}\t${JSON.stringify(service.environment ?? {})}`);
      }
    } else if (!declaredVolumes.has(source)) {
      problems.push(`${name}: the volume '${source}' is not declared under volumes`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
