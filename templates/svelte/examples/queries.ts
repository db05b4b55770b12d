/**
 * Example: query keys and query options for the test project's vacancies API, in one place per
 * resource (copied by `typed_api_svelte --examples`; write the same for your own resources).
 *
 * Components call `createQuery(() => vacancyQueries.list(params))`; mutations invalidate
 * `vacancyKeys.lists()` or `vacancyKeys.all`. Because every option object goes through
 * `queryOptions()`, a misspelled option (`cacheTime`, `keepPreviousData`) is a type error
 * instead of being silently ignored, and `queryClient.getQueryData(options.queryKey)` is
 * typed. Lists are fresh for 2 minutes, details for 10 (the reference's caching policy).
 *
 * The detail is `Versioned<Vacancy>` (`{ item, etag }`): the `ETag` of the version read travels
 * with it, so a save or delete can send it back as `If-Match` (see api/versioned.ts).
 *
 * Read-only POST endpoints (`searchJobs`, `searchVacancies`) are queries, not mutations: they
 * are cached by their criteria and refetched like any list.
 *
 * Public reads go through `apiClient` too: signed out it sends no token, signed in the token
 * is refreshed like on any other call (an expired token on a public endpoint is still a 401).
 */
import { keepPreviousData, queryOptions } from '@tanstack/svelte-query';
import type { components, paths } from '../api/backend-api-schema';
import { apiClient } from '../api/client';
import { unwrap } from '../api/errors';
import { createQueryKeys, DETAIL_STALE_TIME, LIST_STALE_TIME } from '../api/query-keys';
import { unwrapVersioned, type Versioned } from '../api/versioned';

export type Vacancy = components['schemas']['Vacancy'];
export type Skill = components['schemas']['Skill'];
export type Company = components['schemas']['Company'];
export type PaginatedVacancyList = components['schemas']['PaginatedVacancyList'];
export type VacancyListParams = NonNullable<paths['/api/vacancies/']['get']['parameters']['query']>;
export type JobSearchRequest = components['schemas']['JobSearchRequest'];
export type VersionedVacancy = Versioned<Vacancy>;

export const vacancyKeys = createQueryKeys('vacancies');
export const skillKeys = createQueryKeys('skills');
export const companyKeys = createQueryKeys('companies');

export const vacancyQueries = {
	list: (params: VacancyListParams = {}) =>
		queryOptions({
			queryKey: vacancyKeys.list(params),
			queryFn: ({ signal }) =>
				unwrap(apiClient.GET('/api/vacancies/', { params: { query: params }, signal })),
			staleTime: LIST_STALE_TIME,
			// Keep showing the current page while the next one loads (no flashing spinner).
			placeholderData: keepPreviousData
		}),

	detail: (id: string) =>
		queryOptions({
			queryKey: vacancyKeys.detail(id),
			queryFn: ({ signal }) =>
				unwrapVersioned(apiClient.GET('/api/vacancies/{id}/', { params: { path: { id } }, signal })),
			staleTime: DETAIL_STALE_TIME
		}),

	/** `searchJobs`: a POST that reads, so a query keyed by its criteria and page. */
	search: (criteria: JobSearchRequest, page = 1) =>
		queryOptions({
			queryKey: vacancyKeys.search({ ...criteria, page }),
			queryFn: ({ signal }) =>
				unwrap(
					apiClient.POST('/api/jobs/search/', {
						body: criteria,
						params: { query: { page } },
						signal
					})
				),
			staleTime: LIST_STALE_TIME,
			placeholderData: keepPreviousData
		})
};

export const skillQueries = {
	/** All skills (unpaginated), for filter pickers; they rarely change. */
	all: () =>
		queryOptions({
			queryKey: skillKeys.lists(),
			queryFn: ({ signal }) => unwrap(apiClient.GET('/api/skills/', { signal })),
			staleTime: DETAIL_STALE_TIME
		})
};

export const companyQueries = {
	list: (page = 1) =>
		queryOptions({
			queryKey: companyKeys.list({ page }),
			queryFn: ({ signal }) =>
				unwrap(
					apiClient.GET('/api/companies/', {
						params: { query: { page, page_size: 100 } },
						signal
					})
				),
			staleTime: DETAIL_STALE_TIME
		})
};
