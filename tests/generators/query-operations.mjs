// Operations the schema marks `x-query: true` (django_typed_api.decorators.query_operation):
// read-only POSTs such as searchJobs that a client should cache and refetch like a GET.
import { readFileSync } from "node:fs";
import { load } from "js-yaml";

export const schemaPath = process.env.SCHEMA ?? "../../testproject/schema.yaml";
export const outputDir = process.env.OUT ?? "out";

export function queryOperationIds(path = schemaPath) {
  const schema = load(readFileSync(path, "utf8"));
  const ids = [];
  for (const item of Object.values(schema.paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (operation && operation["x-query"] === true) ids.push(operation.operationId);
    }
  }
  return ids;
}
