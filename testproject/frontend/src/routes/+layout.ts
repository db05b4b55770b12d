/**
 * The root load: one QueryClient per page load (per request on the server) that the pages'
 * loads prefetch into and the components read from, and in SSR mode the request's session.
 *
 * SPA mode (the default build): no server rendering; the loads run in the browser only and
 * the session lives in the auth store (localStorage / the refresh cookie).
 * SSR mode (FRONTEND_MODE=ssr): the SvelteKit server refreshed with the httpOnly cookie
 * (hooks.server.ts) and answers SESSION_PATH with the access token; the browser's run of this
 * load reads the very same answer from the HTML and adopts it, so no second refresh happens.
 */
import { browser } from '$app/env';
import { goto } from '$app/navigation';
import { auth } from '../lib/api/auth.svelte';
import { createAppQueryClient } from '../lib/api/query-client';
import { SESSION_PATH, type ServerSession } from '../lib/ssr/session';

export const ssr = __TYPED_API_SSR__;

// A session that ends (logout, or a refresh the server refused, also during a load, before
// any component is mounted) goes to the login page. AppProviders clears the query cache.
if (browser) auth.onSignOut(() => goto('/login'));
export const prerender = false;

export async function load({ fetch }) {
	const queryClient = createAppQueryClient();
	// The server renders from prefetched data only; components fetch in the browser.
	queryClient.setDefaultOptions({
		...queryClient.getDefaultOptions(),
		queries: { ...queryClient.getDefaultOptions().queries, enabled: browser }
	});
	let session: ServerSession | null = null;
	if (__TYPED_API_SSR__) {
		const response = await fetch(SESSION_PATH);
		session = response.ok ? ((await response.json()) as ServerSession | null) : null;
		if (browser) auth.adopt(session);
	}
	return { queryClient, session };
}
