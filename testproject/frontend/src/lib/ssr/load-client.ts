/**
 * The API client of `load` functions: openapi-fetch over SvelteKit's `fetch`, so that
 * - on the server, requests go through `handleFetch` (hooks.server.ts) straight to Django, and
 *   their responses are inlined in the HTML;
 * - in the browser, hydration replays those inlined responses instead of asking again, and
 *   later navigations go out with the signed-in user's token (the auth middleware).
 *
 * SvelteKit finds an inlined response by the URL and a hash of the headers and body the
 * request was made with, so both sides send the same: a relative URL, and the same
 * `Authorization` (the server's session token, which the browser adopted).
 *
 * Query functions built on it must use the same query keys as the components' queries
 * (spread the generated `...Options()` and replace only `queryFn`), so the components find the prefetched data.
 */
import { browser } from '$app/env';
import createClient from 'openapi-fetch';
import type { paths } from '../api/backend-api-schema';
import { authMiddleware } from '../api/client';
import { querySerializer } from '../api/public';
import type { ServerSession } from './session';

type Fetch = typeof fetch;

/** openapi-fetch hands over a Request; SvelteKit's fetch wants the URL and its options. */
function throughSvelteKit(fetch: Fetch): Fetch {
	return async (input, init) => {
		if (!(input instanceof Request)) return fetch(input, init);
		const url = new URL(input.url);
		const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.text();
		return fetch(`${url.pathname}${url.search}`, {
			method: input.method,
			headers: input.headers,
			body,
			signal: input.signal
		});
	};
}

export function loadClient(fetch: Fetch, origin: string, session: ServerSession | null) {
	// openapi-fetch builds a Request, which needs an absolute URL on the server.
	const client = createClient<paths>({
		baseUrl: browser ? '' : origin,
		fetch: throughSvelteKit(fetch),
		querySerializer
	});
	if (browser) client.use(authMiddleware);
	else if (session) {
		client.use({
			onRequest({ request }) {
				request.headers.set('Authorization', `Bearer ${session.access}`);
				return request;
			}
		});
	}
	return client;
}
