/**
 * The session of a server-rendered request, from its httpOnly refresh cookie.
 *
 * The refresh token rotates: used once, it is revoked. A page whose loads run in parallel,
 * a prefetch and a navigation, or two tabs opening at once all arrive with the same cookie;
 * refreshing for each would revoke the token under the others and sign the user out. So one
 * refresh per cookie value: concurrent requests share the pending refresh, and requests that
 * come within a few seconds with that (now spent) cookie get its result, new cookie included.
 */
import type { ServerSession } from '../ssr/session';
import { djangoOrigin } from './django';

/** TYPED_API["AUTH_COOKIE_NAME"] of the Django side. */
export const REFRESH_COOKIE = process.env.AUTH_COOKIE_NAME ?? 'refresh_token';
/** How long a refresh's result answers for the cookie it spent. */
const REUSE_MS = 10_000;

export interface Refreshed {
	session: ServerSession | null;
	/** Set-Cookie headers for the browser: the rotated refresh token (or its removal). */
	setCookies: string[];
}

const refreshes = new Map<string, { result: Promise<Refreshed>; until: number }>();

function csrfPair(csrf: string | undefined): { cookie: string; header: string } {
	// Django's double-submit check: the header must match the cookie. The browser's own token
	// when it has one, else a fresh one for this call (32 letters and digits, Django's format).
	const token =
		csrf && /^[a-zA-Z0-9]{32,64}$/.test(csrf)
			? csrf
			: Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
					'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.charAt(b % 62)
				).join('');
	return { cookie: `csrftoken=${token}`, header: token };
}

async function refresh(token: string, csrf: string | undefined): Promise<Refreshed> {
	const pair = csrfPair(csrf);
	const answer = await fetch(`${djangoOrigin()}/api/auth/refresh/`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			accept: 'application/json',
			cookie: `${REFRESH_COOKIE}=${token}; ${pair.cookie}`,
			'x-csrftoken': pair.header
		},
		body: '{}'
	});
	const setCookies = answer.headers
		.getSetCookie()
		.filter((cookie) => cookie.startsWith(`${REFRESH_COOKIE}=`));
	if (!answer.ok) {
		// Expired or revoked: forget it, or every page would try again.
		return { session: null, setCookies: [`${REFRESH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`] };
	}
	const { access } = (await answer.json()) as { access: string };
	const profile = await fetch(`${djangoOrigin()}/api/user/profile/`, {
		headers: { authorization: `Bearer ${access}`, accept: 'application/json' }
	});
	if (!profile.ok) return { session: null, setCookies };
	const { username } = (await profile.json()) as { username: string };
	return { session: { access, username }, setCookies };
}

/** The session for a request carrying `token` (its refresh cookie), refreshed at most once. */
export function sessionFor(token: string | undefined, csrf: string | undefined): Promise<Refreshed> {
	if (!token) return Promise.resolve({ session: null, setCookies: [] });
	const now = Date.now();
	for (const [key, entry] of refreshes) if (entry.until < now) refreshes.delete(key);
	let entry = refreshes.get(token);
	if (!entry) {
		const result = refresh(token, csrf).catch(
			// Django unreachable: render signed out this time, keep the cookie for the next.
			(): Refreshed => ({ session: null, setCookies: [] })
		);
		entry = { result, until: now + REUSE_MS };
		refreshes.set(token, entry);
	}
	return entry.result;
}
