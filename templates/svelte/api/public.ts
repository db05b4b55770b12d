/**
 * `publicApiClient`: calls that need no token (login, refresh, public reads).
 *
 * The paths in the generated types already start with `/api/`, so the base URL is the origin
 * the app is served from (same origin as the API: no CORS). Point it elsewhere with
 * `PUBLIC_API_URL`-style configuration if your API lives on another host.
 */
import createClient from 'openapi-fetch';
import type { paths } from './backend-api-schema';

/** Origin of the API; empty means "the page's own origin". */
export const API_BASE_URL = '';

/**
 * Arrays in query strings as `skills=a,b` (the schema's `style: form, explode: false`), which is
 * what django-filter's `...InFilter`s and DRF's `ordering` read. openapi-fetch cannot see the
 * schema at run time and would send `skills=a&skills=b`, of which Django keeps only the last.
 */
export const querySerializer = { array: { style: 'form', explode: false } } as const;

export const publicApiClient = createClient<paths>({ baseUrl: API_BASE_URL, querySerializer });

/** Django's CSRF token (cookie `csrftoken`), sent on cookie-carrying auth calls. */
export function csrfToken(): string | undefined {
	if (typeof document === 'undefined') return undefined;
	const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
	return match ? decodeURIComponent(match[1]) : undefined;
}
