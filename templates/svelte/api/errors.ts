/**
 * Errors from the API, typed from the schema's error envelope.
 *
 * Every error the backend returns has the body
 *   {"error": {...}, "status_code": 400, "message": "title: This field is required.", "code": "invalid"}
 * (`ErrorResponse` in the schema). `unwrap()` turns an openapi-fetch result into data or a thrown
 * `ApiError` carrying that body, so TanStack Query sees a real error; `handleApiError()` toasts
 * it by status; `fieldErrors()` maps a validation envelope onto form fields.
 */
import { toast } from 'svelte-sonner';
import type { components } from './backend-api-schema';

/** The envelope every error response has. */
export type ErrorResponse = components['schemas']['ErrorResponse'];

/** What openapi-fetch resolves to: `{data, response}` on success, `{error, response}` otherwise. */
type FetchResult = { data?: unknown; error?: unknown; response: Response };

/** The success member's `data` (the error member has `data?: never`, which adds nothing). */
type DataOf<R> = R extends { data: infer D } ? D : never;

/** A failed API call: the HTTP status and the envelope the server sent. */
export class ApiError extends Error {
	readonly status: number;
	readonly body: ErrorResponse;

	constructor(status: number, body: ErrorResponse) {
		super(body.message);
		this.name = 'ApiError';
		this.status = status;
		this.body = body;
	}

	/** The machine-readable code: `invalid`, `not_found`, `token_not_valid`, ... */
	get code(): string {
		return this.body.code;
	}
}

function isEnvelope(value: unknown): value is ErrorResponse {
	return (
		typeof value === 'object' &&
		value !== null &&
		'message' in value &&
		'code' in value &&
		'status_code' in value
	);
}

/**
 * The data of an openapi-fetch call, or a thrown `ApiError`.
 *
 * A body that is not the envelope (a proxy's HTML 502) and a network failure become an
 * `ApiError` too (`code` `unexpected_response` / `network_error`, status 0 for the latter), so
 * every error reaching a query or mutation has the same shape.
 */
export async function unwrap<R extends FetchResult>(pending: Promise<R>): Promise<DataOf<R>> {
	let result: R;
	try {
		result = await pending;
	} catch (cause) {
		if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
		throw new ApiError(0, {
			error: { detail: String(cause) },
			status_code: 0,
			message: 'The server could not be reached. Check your connection and try again.',
			code: 'network_error'
		} as ErrorResponse);
	}
	const { data, error, response } = result;
	if (response.ok) return data as DataOf<R>;
	if (isEnvelope(error)) throw new ApiError(response.status, error);
	throw new ApiError(response.status, {
		error: { detail: String(error ?? response.statusText) },
		status_code: response.status,
		message: `Unexpected response from the server (${response.status}).`,
		code: 'unexpected_response'
	} as ErrorResponse);
}

/** Statuses whose envelope maps fields to messages (uploads: 413 and 415, by field). */
const FIELD_STATUSES = new Set([400, 413, 415]);

/** Field name -> messages, plus `non_field_errors` for what belongs to no single field. */
export type FieldErrors<Body> = Partial<Record<Extract<keyof Body, string> | 'non_field_errors', string[]>>;

function messages(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(messages);
	if (typeof value === 'object' && value !== null) {
		// A nested serializer's errors: {"text": ["..."]} -> "text: ...".
		return Object.entries(value).flatMap(([key, inner]) =>
			messages(inner).map((message) => `${key}: ${message}`)
		);
	}
	return [];
}

/**
 * Map a validation envelope onto the fields of a request body type.
 *
 *   const errors = $derived(fieldErrors<VacancyRequest>(save.error));
 *   {#if errors.title}<p class="field-error">{errors.title[0]}</p>{/if}
 *
 * Only validation errors produce field errors: 400, and an upload's 413 (too large) and 415
 * (not an accepted type), which name the file field the same way; keys the body type does not
 * know (and `detail`) land in `non_field_errors`, so no server message is ever lost.
 */
export function fieldErrors<Body extends object>(
	error: unknown,
	fields?: readonly Extract<keyof Body, string>[]
): FieldErrors<Body> {
	if (!(error instanceof ApiError) || !FIELD_STATUSES.has(error.status)) return {};
	const detail = error.body.error;
	const result: Record<string, string[]> = {};
	if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
		result.non_field_errors = messages(detail);
		return result as FieldErrors<Body>;
	}
	const known = fields ? new Set<string>(fields) : null;
	for (const [key, value] of Object.entries(detail)) {
		const target = key === 'detail' || (known && !known.has(key)) ? 'non_field_errors' : key;
		result[target] = [...(result[target] ?? []), ...messages(value)];
	}
	return result as FieldErrors<Body>;
}

/**
 * Tell the user what went wrong, by status (the reference's policy): validation errors name
 * the fields, 401 asks to sign in again, 403 is a permission message, 5xx a server error,
 * anything else the server's own message.
 */
export function handleApiError(error: unknown): void {
	if (!(error instanceof ApiError)) {
		toast.error(error instanceof Error ? error.message : 'An unexpected error occurred.');
		return;
	}
	if (error.status === 400) {
		toast.error('Please correct the highlighted fields.');
	} else if (error.status === 401) {
		toast.error('Your session has expired. Please sign in again.');
	} else if (error.status === 403) {
		toast.error("You don't have permission for this action.", { description: error.message });
	} else if (error.status === 404) {
		toast.error('Not found: it may have been deleted or unpublished.');
	} else if (error.status === 412) {
		toast.error('Someone else changed this since you opened it.', {
			description: 'Nothing was saved. Reload to see the latest version.'
		});
	} else if (error.status === 413) {
		toast.error('That file is too large.', { description: error.message });
	} else if (error.status === 415) {
		toast.error('That file type is not accepted.', { description: error.message });
	} else if (error.status === 429) {
		toast.error('Too many requests. Please wait a moment and try again.');
	} else if (error.status >= 500) {
		toast.error('Server error. Please try again later.');
	} else {
		toast.error(error.message || 'An unexpected error occurred.');
	}
}
