/**
 * Who is signed in, for markup that renders on the server too: in the browser the `auth`
 * store (localStorage or the session the server handed over), on the server the request's
 * session from the root layout's data (`auth` is one object per process there, never per user).
 */
import { browser } from '$app/env';
import { page } from '$app/state';
import { auth } from '../api/auth.svelte';

export const viewer = {
	get signedIn(): boolean {
		return browser ? auth.isAuthenticated : Boolean(page.data.session);
	},
	get username(): string | null {
		return browser ? auth.username : (page.data.session?.username ?? null);
	}
};
