// Prints one build stage of a Dockerfile as JSON, for tests/packaging/image_test.sh:
//   node dockerfile_stage.mjs DOCKERFILE STAGE
// {"from": "debian:12-slim", "stage": "runtime", "instructions": [{"keyword", "flags", "args", "exec", "env"}]}
// `args` is the instruction's text after its flags with line continuations joined; `exec` is the JSON
// (exec) form as an array when the instruction uses one (CMD, ENTRYPOINT, HEALTHCHECK ... CMD [...]); `env`
// holds an ENV's variables.
import { readFileSync } from "node:fs";
import { DockerfileParser } from "dockerfile-ast";

const [file, stageName] = process.argv.slice(2);
if (!file || !stageName) {
  console.error("usage: node dockerfile_stage.mjs DOCKERFILE STAGE");
  process.exit(2);
}
const dockerfile = DockerfileParser.parse(readFileSync(file, "utf8"));

let stage = null;
for (const instruction of dockerfile.getInstructions()) {
  const keyword = instruction.getKeyword();
  if (keyword === "FROM") {
    if (stage) break;
    if (instruction.getBuildStage() === stageName) {
      stage = { from: instruction.getImage(), stage: stageName, instructions: [] };
    }
    continue;
  }
  if (!stage) continue;
  const flags = {};
  for (const flag of instruction.getFlags ? instruction.getFlags() : []) flags[flag.getName()] = flag.getValue();
  // The text after the flags: the arguments joined by single spaces would lose quoting, so take the
  // instruction's content from the first non-flag argument on.
  const content = instruction.getArgumentsContent() ?? "";
  const args = content.replace(/^(\s*--[a-z-]+(=\S*)?\s+)*/, "").trim();
  let exec = null;
  const json = args.replace(/^CMD\s+/, "");
  if (json.startsWith("[")) exec = JSON.parse(json);
  const entry = { keyword, flags, args, exec };
  if (keyword === "ENV") {
    entry.env = {};
    for (const property of instruction.getProperties()) entry.env[property.getName()] = property.getUnescapedValue();
  }
  stage.instructions.push(entry);
}
if (!stage) {
  console.error(`${file}: no stage named ${stageName}`);
  process.exit(1);
}
console.log(JSON.stringify(stage, null, 1));
