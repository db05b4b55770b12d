// @hey-api/openapi-ts with the TanStack Svelte Query plugin: listVacanciesOptions(), ...
// Operations marked x-query are classified as queries (searchJobsOptions, not a mutation).
import { defineConfig } from "@hey-api/openapi-ts";
import { outputDir, queryOperationIds, schemaPath } from "./query-operations.mjs";

const queries = new Set(queryOperationIds());

export default defineConfig({
  input: schemaPath,
  output: `${outputDir}/hey-api`,
  parser: {
    hooks: {
      operations: {
        getKind: (operation) => (queries.has(operation.id) ? ["query"] : undefined),
      },
    },
  },
  plugins: ["@hey-api/client-fetch", "@hey-api/sdk", "@tanstack/svelte-query"],
});
