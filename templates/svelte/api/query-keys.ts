/**
 * Query keys and stale times, shared by every resource's query options.
 *
 * Keys are hierarchical so one `invalidateQueries({ queryKey })` hits the right set:
 * `all` > `lists()` > `list(params)` and `searches()` > `search(criteria)`;
 * `all` > `details()` > `detail(id)`. `manage.py sync_types` generates each resource's keys and
 * options from the schema (`api/generated/`); written by hand, they look like this:
 *
 *   export const bookKeys = createQueryKeys('books');
 *   export const bookQueries = {
 *     list: (params: BookListParams = {}) => queryOptions({
 *       queryKey: bookKeys.list(params),
 *       queryFn: ({ signal }) => unwrap(apiClient.GET('/api/books/', { params: { query: params }, signal })),
 *       staleTime: LIST_STALE_TIME
 *     })
 *   };
 *
 * Always go through `queryOptions()`: a misspelled option (`cacheTime`, `keepPreviousData`)
 * becomes a type error instead of being silently ignored, and `getQueryData(options.queryKey)`
 * is typed.
 */
import { MINUTE } from './query-client';

/** Lists are fresh for 2 minutes, details for 10 (the reference's caching policy). */
export const LIST_STALE_TIME = 2 * MINUTE;
export const DETAIL_STALE_TIME = 10 * MINUTE;

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
