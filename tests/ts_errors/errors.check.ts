// Compiled by tests/test_errors_typescript.py against types generated from the testproject
// schema: if the schema stops documenting the envelopes, this file stops compiling.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema";

type Schemas = components["schemas"];
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
  ? true
  : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
// Same type up to how TypeScript spells it (intersections vs flattened objects).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const assert = <T extends true>(): T | void => undefined;

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });

const createVacancy = (body: Schemas["VacancyRequest"]) =>
  client.POST("/api/vacancies/", { body });
const retrieveVacancy = (id: string) =>
  client.GET("/api/vacancies/{id}/", { params: { path: { id } } });

type CreateError = NonNullable<Awaited<ReturnType<typeof createVacancy>>["error"]>;
type RetrieveError = NonNullable<Awaited<ReturnType<typeof retrieveVacancy>>["error"]>;

// createVacancy: the 400 member is the validation envelope of the Vacancy body ...
type CreateValidation = Extract<CreateError, { status_code: 400 }>;
assert<Same<CreateValidation["error"], Schemas["VacancyValidationError"]["error"]>>();
assert<Equals<NonNullable<CreateValidation["error"]["title"]>, string[]>>();
assert<Equals<NonNullable<CreateValidation["error"]["non_field_errors"]>, string[]>>();
assert<Equals<IsAny<CreateValidation["error"]["title"]>, false>>();
// ... every member is an envelope, none is `any` or `never`.
assert<Equals<IsAny<CreateError>, false>>();
assert<CreateError extends { status_code: number; message: string; code: string } ? true : false>();
assert<Same<Extract<CreateError, { status_code: 401 }>["error"], Schemas["ErrorResponse"]["error"]>>();

// retrieveVacancy: the error envelope, with no validation member (it takes no body).
assert<RetrieveError extends Schemas["ErrorResponse"] ? true : false>();
assert<Equals<Extract<RetrieveError, { status_code: 400 }>, never>>();
assert<Equals<NonNullable<Extract<RetrieveError, { status_code: 404 }>["error"]["detail"]>, string>>();
assert<Equals<IsAny<RetrieveError>, false>>();

// What a form does with it: narrow by status, then map field errors without casts.
export async function submit(body: Schemas["VacancyRequest"]): Promise<Record<string, string>> {
  const { error } = await createVacancy(body);
  if (!error) return {};
  if (error.status_code === 400) {
    return {
      title: error.error.title?.join(" ") ?? "",
      salary_max: error.error.salary_max?.join(" ") ?? "",
      form: error.error.non_field_errors?.join(" ") ?? error.message,
    };
  }
  return { form: error.message };
}

// POST/PUT bodies of Typed viewsets are required (a missing one is a 400), so a search form's
// body type is reachable without NonNullable; PATCH bodies stay optional.
type SearchBody =
  paths["/api/vacancies/search/"]["post"]["requestBody"]["content"]["application/json"];
assert<Equals<SearchBody, Schemas["VacancySearchRequest"]>>();
assert<
  undefined extends paths["/api/vacancies/{id}/"]["patch"]["requestBody"] ? true : false
>();
// A blank-able read-only email (`format: email` or `""`) is a plain string.
assert<Equals<Schemas["UserProfile"]["email"], string>>();
