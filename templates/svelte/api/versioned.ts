/**
 * Lost-update protection on the client: keep the `ETag` a read returned next to the data, and
 * send it back as `If-Match` when saving or deleting that version.
 *
 * The backend answers retrieve and update with a strong `ETag`; a PUT/PATCH/DELETE carrying a
 * stale `If-Match` is refused with 412 `precondition_failed` and changes nothing. So a detail
 * query returns `Versioned<T>` (`{ item, etag }`), the edit form remembers the version it
 * started from, and the save sends it:
 *
 *   queryFn: ({ signal }) => unwrapVersioned(apiClient.GET('/api/books/{id}/', { params: { path: { id } }, signal }))
 *   apiClient.PUT('/api/books/{id}/', { params: { path: { id }, header: ifMatch(etag) }, body })
 *
 * Keep the tag with the version the user saw (not "the latest one cached"): a background
 * refetch must not silently turn a stale edit into an overwrite. `isConflict(error)` tells the
 * UI to offer a reload instead of a generic error.
 */
import { ApiError, unwrap } from './errors';

/** A resource as read, and the `ETag` of that version (null if the server sent none). */
export interface Versioned<T> {
	item: T;
	etag: string | null;
}

/** What openapi-fetch resolves to. */
type FetchResult = { data?: unknown; error?: unknown; response: Response };
type DataOf<R> = R extends { data: infer D } ? D : never;

/** Like `unwrap()`, and keeps the response's `ETag` next to the data. */
export async function unwrapVersioned<R extends FetchResult>(
	pending: Promise<R>
): Promise<Versioned<DataOf<R>>> {
	let response: Response | undefined;
	const item = await unwrap(
		pending.then((result) => {
			response = result.response;
			return result;
		})
	);
	return { item, etag: response?.headers.get('ETag') ?? null };
}

/**
 * The `If-Match` header parameter for a write, or none when no tag is known (the server then
 * applies the write unconditionally, unless `REQUIRE_IF_MATCH` makes it answer 428).
 */
export function ifMatch(etag: string | null | undefined): { 'If-Match'?: string } {
	return etag ? { 'If-Match': etag } : {};
}

/** Someone else changed the resource since it was read: 412 `precondition_failed`. */
export function isConflict(error: unknown): error is ApiError {
	return error instanceof ApiError && error.status === 412;
}
