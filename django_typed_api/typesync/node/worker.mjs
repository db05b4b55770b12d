// The long-lived TypeScript generator of `manage.py sync_types`: one Node process that loads
// openapi-typescript once and answers one JSON line per schema, so a change costs the
// generation only, not Node's and npx's start-up.
//
// Protocol (stdin -> stdout, one JSON object per line):
//   {"schema": "<YAML or JSON text>", "options": {...openapiTS options}}
//   -> {"ok": true, "types": "...", "ms": 123, "cpu_ms": 98} | {"ok": false, "error": "one line"}
// The first line on stdout is {"ready": true, "version": "7.13.0", "from": "/path"}.
// The output is byte for byte what the openapi-typescript CLI writes (header included).
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import path from "node:path";
import fs from "node:fs";

const [, , ...searchDirs] = process.argv;

function resolvePackage() {
  for (const dir of searchDirs) {
    try {
      const require = createRequire(path.join(path.resolve(dir), "noop.js"));
      const manifest = require.resolve("openapi-typescript/package.json");
      return manifest;
    } catch {
      // not installed there: try the next folder
    }
  }
  return null;
}

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const manifest = resolvePackage();
if (!manifest) {
  send({ ready: false, error: `openapi-typescript is not installed in ${searchDirs.join(", ")}` });
  process.exit(3);
}
const root = path.dirname(manifest);
const version = JSON.parse(fs.readFileSync(manifest, "utf8")).version;
const ots = await import(pathToFileURL(path.join(root, "dist", "index.mjs")).href);
const requireFromOts = createRequire(manifest);
const redoclyCore = await import(
  pathToFileURL(requireFromOts.resolve("@redocly/openapi-core")).href
);
// The CLI's configuration when no redocly.yaml is found.
const redocly = await redoclyCore.createConfig({}, { extends: ["minimal"] });
send({ ready: true, version, from: root });

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const request = JSON.parse(line);
    const ast = await ots.default(request.schema, {
      ...(request.options ?? {}),
      redocly,
      silent: true,
    });
    const types = `${ots.COMMENT_HEADER}${ots.astToString(ast)}`;
    const used = process.cpuUsage(cpu);
    send({ ok: true, types, ms: performance.now() - started, cpu_ms: (used.user + used.system) / 1000 });
  } catch (error) {
    const message = String(error?.message ?? error).split("\n").find((l) => l.trim()) ?? "error";
    send({ ok: false, error: message });
  }
}
