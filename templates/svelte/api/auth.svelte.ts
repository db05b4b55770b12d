/**
 * The signed-in session, as Svelte 5 runes: read `auth.isAuthenticated`, `auth.username` in
 * any component and it stays reactive.
 *
 * Two storage modes, chosen by the server (django-typed-api's refresh-cookie switch):
 * - body mode: login returns `{access, refresh}`; both are kept in localStorage;
 * - cookie mode: login returns only `{access}` and sets the refresh token in an httpOnly
 *   cookie that JavaScript cannot read; refresh and logout send that cookie (same origin)
 *   with Django's CSRF header. Nothing but the short-lived access token is stored.
 *
 * `refresh()` is single-flight: however many requests fail with 401 at once, one refresh
 * request goes out and they all wait for it (refresh tokens rotate, so a second refresh with
 * the old token would be refused and sign the user out).
 */
import { unwrap } from './errors';
import type { paths } from './backend-api-schema';
import { csrfToken, publicApiClient } from './public';

interface Session {
	access: string;
	/** `null` in cookie mode: the refresh token lives in an httpOnly cookie. */
	refresh: string | null;
	username: string;
}

const STORAGE_KEY = 'typed-api.session';

function load(): Session | null {
	if (typeof localStorage === 'undefined') return null;
	try {
		const raw = localStorage.getItem(STORAGE_KEY);
		return raw ? (JSON.parse(raw) as Session) : null;
	} catch {
		return null;
	}
}

function save(session: Session | null): void {
	if (typeof localStorage === 'undefined') return;
	if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
	else localStorage.removeItem(STORAGE_KEY);
}

/** Token fields as the server sends them; `refresh` is absent in cookie mode. */
interface Tokens {
	access: string;
	refresh?: string;
}

type Body<Path extends '/api/auth/refresh/' | '/api/auth/logout/'> =
	paths[Path]['post']['requestBody']['content']['application/json'];

/**
 * The refresh/logout body: `{refresh}` in body mode, `{}` in cookie mode. The generated type is
 * the one of the mode the schema was generated in, so the other mode's body needs the cast.
 */
function tokenBody<Path extends '/api/auth/refresh/' | '/api/auth/logout/'>(
	refresh: string | null
): Body<Path> {
	return (refresh === null ? {} : { refresh }) as Body<Path>;
}

function cookieHeaders(): Record<string, string> {
	const token = csrfToken();
	return token ? { 'X-CSRFToken': token } : {};
}

export class AuthStore {
	#session = $state<Session | null>(load());
	#refreshing: Promise<boolean> | null = null;
	#signOutListeners = new Set<() => void>();

	get isAuthenticated(): boolean {
		return this.#session !== null;
	}

	get username(): string | null {
		return this.#session?.username ?? null;
	}

	get accessToken(): string | null {
		return this.#session?.access ?? null;
	}

	/** True when the server keeps the refresh token in an httpOnly cookie. */
	get cookieMode(): boolean {
		return this.#session !== null && this.#session.refresh === null;
	}

	#set(session: Session | null): void {
		this.#session = session;
		save(session);
	}

	/**
	 * Take the session the server rendered with (server-side rendering in cookie mode: the
	 * SvelteKit server refreshed with the httpOnly cookie and handed the page the new access
	 * token). `null`: the server saw no session, so none is kept here either.
	 */
	adopt(session: { access: string; username: string } | null): void {
		if (session) this.#set({ access: session.access, refresh: null, username: session.username });
		else if (this.#session?.refresh === null) this.#set(null);
	}

	/** Sign in. Throws an `ApiError` (wrong password: 401, throttled: 429) for the form to show. */
	async login(username: string, password: string): Promise<void> {
		const tokens: Tokens = await unwrap(
			publicApiClient.POST('/api/auth/login/', {
				body: { username, password },
				headers: cookieHeaders()
			})
		);
		this.#set({ access: tokens.access, refresh: tokens.refresh ?? null, username });
	}

	/**
	 * Get a new access token with the refresh token. Resolves `true` on success; on failure
	 * signs out and resolves `false`. Concurrent callers share one request.
	 */
	refresh(): Promise<boolean> {
		this.#refreshing ??= this.#doRefresh().finally(() => {
			this.#refreshing = null;
		});
		return this.#refreshing;
	}

	async #doRefresh(): Promise<boolean> {
		const session = this.#session;
		if (!session) return false;
		try {
			const { data, response } = await publicApiClient.POST('/api/auth/refresh/', {
					body: tokenBody<'/api/auth/refresh/'>(session.refresh),
				headers: cookieHeaders()
			});
			if (!response.ok || !data) {
				this.signOut();
				return false;
			}
			const tokens: Tokens = data;
			this.#set({ ...session, access: tokens.access, refresh: tokens.refresh ?? session.refresh });
			return true;
		} catch {
			// Network failure: keep the session, the next request will try again.
			return false;
		}
	}

	/** Revoke the tokens on the server (refresh blacklisted, access denylisted), then sign out. */
	async logout(): Promise<void> {
		const session = this.#session;
		if (session) {
			try {
				await publicApiClient.POST('/api/auth/logout/', {
					body: tokenBody<'/api/auth/logout/'>(session.refresh),
					headers: { Authorization: `Bearer ${session.access}`, ...cookieHeaders() }
				});
			} catch {
				// Offline: forget the tokens locally anyway.
			}
		}
		this.signOut();
	}

	/** Forget the session locally and tell listeners (clear caches, go to the login page). */
	signOut(): void {
		const wasSignedIn = this.#session !== null;
		this.#set(null);
		if (wasSignedIn) for (const listener of this.#signOutListeners) listener();
	}

	/** Run `listener` whenever the session ends (logout or failed refresh). Returns an unsubscribe. */
	onSignOut(listener: () => void): () => void {
		this.#signOutListeners.add(listener);
		return () => this.#signOutListeners.delete(listener);
	}
}

export const auth = new AuthStore();
