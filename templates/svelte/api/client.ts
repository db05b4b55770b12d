/**
 * `apiClient`: the typed client for calls made as the signed-in user.
 *
 * Its middleware adds `Authorization: Bearer <access>`; when a response is 401 it refreshes
 * the access token once (shared by every request that failed meanwhile), retries the request
 * with the new token, and signs out when the refresh is refused. Callers never see an expired
 * token, only a 401 after the session really ended.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './backend-api-schema';
import { auth } from './auth.svelte';
import { API_BASE_URL, querySerializer } from './public';

export { publicApiClient } from './public';

/** Auth endpoints answer 401 for bad credentials: never refresh-and-retry those. */
const AUTH_PATHS = /\/api\/auth\//;

/** Untouched copies of the outgoing requests (a sent body cannot be re-read), by request id. */
const pending = new Map<string, { retry: Request; token: string | null }>();

function withToken(request: Request, token: string | null): Request {
	if (token) request.headers.set('Authorization', `Bearer ${token}`);
	else request.headers.delete('Authorization');
	return request;
}

export const authMiddleware: Middleware = {
	onRequest({ request, id }) {
		const token = auth.accessToken;
		withToken(request, token);
		if (!AUTH_PATHS.test(request.url)) pending.set(id, { retry: request.clone(), token });
		return request;
	},
	async onResponse({ response, id, options }) {
		const sent = pending.get(id);
		pending.delete(id);
		if (response.status !== 401 || !sent || !auth.isAuthenticated) return response;
		// Another request may already have refreshed while this one was in flight.
		const refreshed = auth.accessToken !== sent.token || (await auth.refresh());
		if (!refreshed) return response;
		return options.fetch(withToken(sent.retry, auth.accessToken));
	},
	onError({ id }) {
		pending.delete(id);
	}
};

export const apiClient = createClient<paths>({ baseUrl: API_BASE_URL, querySerializer });
apiClient.use(authMiddleware);
