/**
 * The run-time half of the generated resource layer (`api/generated/`, written by
 * `manage.py sync_types`): error types per operation, runtime enum values, and the cache
 * surgery behind optimistic updates. The generated modules hold only what the schema decides
 * (paths, keys, which write sends `If-Match`); the logic lives here, once.
 */
import type { QueryClient, QueryKey } from '@tanstack/svelte-query';
import type { ApiError, ErrorResponse } from './errors';

// -- errors typed per status ---------------------------------------------------------------

/** An `ApiError` whose status and body are the ones the schema documents for that status. */
export type StatusError<Status extends number, Body> = ApiError & {
	readonly status: Status;
	readonly body: Body;
};

type ErrorStatus<K> = K extends number ? (`${K}` extends `4${string}` | `5${string}` ? K : never) : never;
type BodyOf<R> = R extends { content: { 'application/json': infer B } } ? B : ErrorResponse;
type ErrorsByStatus<R> = { [K in keyof R as ErrorStatus<K>]: StatusError<K & number, BodyOf<R[K]>> };

/**
 * Every error an operation can end with: one member per documented 4xx/5xx status, and status 0
 * for a network failure. Narrow on `status`: after `error.status === 400`, `error.body.error`
 * has the operation's field names; after `error.status === 412` it is the conflict.
 */
export type OperationError<Op> = Op extends { responses: infer R }
	? ErrorsByStatus<R>[keyof ErrorsByStatus<R>] | StatusError<0, ErrorResponse>
	: never;

// -- runtime enum values -------------------------------------------------------------------

/** The values of a `TextChoices`/`IntegerChoices` field at run time, for `<select>`s. */
export interface EnumValues<T extends string | number> {
	readonly values: readonly T[];
	readonly labels: { readonly [K in T]: string };
	readonly options: readonly { readonly value: T; readonly label: string }[];
}

// -- optimistic updates --------------------------------------------------------------------

/** A cached list: a page (`{ count, results }`) or a plain array. */
type ListData<T> = { count: number; results: T[] } | T[];

/** What `onMutate` saved: each touched query's data, to put back on error. */
export type Snapshot = [QueryKey, unknown][];

/** A mutation's `onMutate` result: the snapshot, and the row shown before the answer. */
export interface Optimism<T = unknown> {
	saved: Snapshot;
	shown?: T;
}

/** Rows shown before the server confirmed them carry an id with this prefix. */
export const OPTIMISTIC_PREFIX = 'optimistic-';

/** An id for an optimistic row (`isOptimistic(row)` tells it apart). */
export function optimisticId(): string {
	return `${OPTIMISTIC_PREFIX}${crypto.randomUUID()}`;
}

/** The same row: equal `id`s when rows have one, else the same object. */
export function sameRow(a: unknown, b: unknown): boolean {
	const id = (row: unknown) =>
		typeof row === 'object' && row !== null && 'id' in row ? row.id : undefined;
	return a === b || (id(a) !== undefined && id(a) === id(b));
}

export function isOptimistic(row: unknown): boolean {
	const id = typeof row === 'object' && row !== null && 'id' in row ? row.id : null;
	return typeof id === 'string' && id.startsWith(OPTIMISTIC_PREFIX);
}

/** Stop refetches of `keys` (they would overwrite the optimistic state) and save their data. */
export async function snapshot(queryClient: QueryClient, keys: QueryKey[]): Promise<Snapshot> {
	await Promise.all(keys.map((queryKey) => queryClient.cancelQueries({ queryKey })));
	return keys.flatMap((queryKey) => queryClient.getQueriesData({ queryKey }));
}

export function restore(queryClient: QueryClient, saved: Snapshot | undefined): void {
	for (const [queryKey, data] of saved ?? []) queryClient.setQueryData(queryKey, data);
}

/**
 * Change the rows of every cached list under `listsKey`; a page's `count` follows the number
 * of rows added or removed.
 */
export function updateLists<T>(
	queryClient: QueryClient,
	listsKey: QueryKey,
	change: (rows: T[]) => T[]
): void {
	queryClient.setQueriesData<ListData<T>>({ queryKey: listsKey }, (old) => {
		if (!old) return old;
		if (Array.isArray(old)) return change(old);
		const results = change(old.results);
		return { ...old, count: old.count + results.length - old.results.length, results };
	});
}

/** Change the cached detail, kept as `{ item, etag }` or as the bare item. */
export function updateDetail<T>(
	queryClient: QueryClient,
	detailKey: QueryKey,
	change: (item: T) => T
): void {
	queryClient.setQueryData<unknown>(detailKey, (old: unknown) => {
		if (old === undefined || old === null) return old;
		if (typeof old === 'object' && 'item' in old && 'etag' in old) {
			return { ...old, item: change(old.item as T) };
		}
		return change(old as T);
	});
}

/** The settings every generated mutation takes (`createVacancyMutation(queryClient, {...})`). */
export interface MutationSettings<Data, Error, Variables, Optimistic> {
	/**
	 * Opt-in optimistic update: the caches change before the server answers and are restored
	 * if it refuses. Creates and updates take a function building the row to show; deletes `true`.
	 */
	optimistic?: Optimistic;
	onSuccess?: (data: Data, variables: Variables) => unknown;
	/** Replaces the default, `handleApiError` (a toast by status). */
	onError?: (error: Error, variables: Variables) => unknown;
}
