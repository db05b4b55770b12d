/**
 * Query keys and query options, in one place per resource.
 *
 * Components call `createQuery(() => vacancyQueries.list(params))`; mutations invalidate
 * `vacancyKeys.lists()` or `vacancyKeys.all`. Because every option object goes through
 * `queryOptions()`, a misspelled option (`cacheTime`, `keepPreviousData`) is a type error
 * instead of being silently ignored, and `queryClient.getQueryData(options.queryKey)` is
 * typed. Lists are fresh for 2 minutes, details for 10 (the reference's caching policy).
 *
 * Read-only POST endpoints (`searchJobs`, `searchVacancies`) are queries, not mutations: they
 * are cached by their criteria and refetched like any list.
 *
 * Public reads go through `apiClient` too: signed out it sends no token, signed in the token
 * is refreshed like on any other call (an expired token on a public endpoint is still a 401).
 */
import { keepPreviousData, queryOptions } from '@tanstack/svelte-query';
import type { components, paths } from './backend-api-schema';
import { apiClient } from './client';
import { unwrap } from './errors';
import { MINUTE } from './query-client';

export type Vacancy = components['schemas']['Vacancy'];
export type Skill = components['schemas']['Skill'];
export type Company = components['schemas']['Company'];
export type PaginatedVacancyList = components['schemas']['PaginatedVacancyList'];
export type VacancyListParams = NonNullable<paths['/api/vacancies/']['get']['parameters']['query']>;
export type JobSearchRequest = components['schemas']['JobSearchRequest'];

export const LIST_STALE_TIME = 2 * MINUTE;
export const DETAIL_STALE_TIME = 10 * MINUTE;

/**
 * Keys for one resource, hierarchical so one call invalidates the right set:
 * `all` > `lists()` > `list(params)` and `searches()` > `search(criteria)`;
 * `all` > `details()` > `detail(id)`.
 */
export function createQueryKeys<const Resource extends string>(resource: Resource) {
	const all = [resource] as const;
	return {
		all,
		lists: () => [...all, 'list'] as const,
		list: <P extends object>(params: P) => [...all, 'list', params] as const,
		// Searches are lists too: invalidating lists() refreshes them as well.
		searches: () => [...all, 'list', 'search'] as const,
		search: <C extends object>(criteria: C) => [...all, 'list', 'search', criteria] as const,
		details: () => [...all, 'detail'] as const,
		detail: (id: string) => [...all, 'detail', id] as const
	};
}

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
				unwrap(apiClient.GET('/api/vacancies/{id}/', { params: { path: { id } }, signal })),
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
