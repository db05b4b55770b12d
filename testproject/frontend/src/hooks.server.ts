/**
 * The SvelteKit server of SSR mode (adapter-node, build-ssr/), in front of Django:
 * - `/api`, `/media`, `/static`, `/admin` are passed on to Django (DJANGO_ORIGIN), so the
 *   browser sees one origin and the refresh cookie is this origin's;
 * - every page request with a refresh cookie is refreshed once (lib/server/refresh.ts) before
 *   rendering; the rotated cookie goes back with the page, the access token to the loads;
 * - the loads' API calls (`fetch` in load) go straight to Django with that access token.
 * In the SPA build these hooks only run while the fallback page is written at build time.
 */
import type { Handle, HandleFetch } from '@sveltejs/kit/hooks';
import { DJANGO_PATHS, djangoOrigin, proxy } from './lib/server/django';
import { REFRESH_COOKIE, sessionFor } from './lib/server/refresh';
import { SESSION_PATH } from './lib/ssr/session';

const SERIALIZED_HEADERS = new Set(['content-length', 'content-type', 'etag']);

export const handle: Handle = async ({ event, resolve }) => {
	if (DJANGO_PATHS.test(event.url.pathname)) return proxy(event.request, event.url);
	const { session, setCookies } = await sessionFor(
		event.cookies.get(REFRESH_COOKIE),
		event.cookies.get('csrftoken')
	);
	event.locals.session = session;
	const response =
		event.url.pathname === SESSION_PATH
			? Response.json(session, { headers: { 'cache-control': 'no-store' } })
			: await resolve(event, {
					// Headers the loads' API client reads, kept for the browser's replay of the responses:
					// openapi-fetch reads the length and type, the versioned detail its ETag.
					filterSerializedResponseHeaders: (name) => SERIALIZED_HEADERS.has(name)
				});
	for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
	// A page rendered for one user must never be served to another by a cache.
	if (session) response.headers.set('cache-control', 'private, no-store');
	return response;
};

export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
	const url = new URL(request.url);
	if (url.origin !== event.url.origin) return fetch(request);
	if (url.pathname === SESSION_PATH) return Response.json(event.locals.session);
	if (!DJANGO_PATHS.test(url.pathname)) return fetch(request);
	const headers = new Headers(request.headers);
	headers.delete('cookie'); // Django authenticates this call by the bearer token alone
	if (event.locals.session && !headers.has('authorization')) {
		headers.set('authorization', `Bearer ${event.locals.session.access}`);
	}
	const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
	return fetch(`${djangoOrigin()}${url.pathname}${url.search}`, { method: request.method, headers, body });
};
