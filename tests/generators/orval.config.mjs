// Orval, svelte-query client: hooks are named from operationIds (createListVacancies).
// Operations marked x-query become queries (createSearchJobs is a createQuery, not a mutation).
import { defineConfig } from "orval";
import { outputDir, queryOperationIds, schemaPath } from "./query-operations.mjs";

export default defineConfig({
  vacancies: {
    input: { target: schemaPath },
    output: {
      target: `${outputDir}/orval/api.ts`,
      client: "svelte-query",
      mode: "single",
      override: {
        operations: Object.fromEntries(
          queryOperationIds().map((id) => [id, { query: { useQuery: true } }]),
        ),
      },
    },
  },
});
