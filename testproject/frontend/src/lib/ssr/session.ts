/**
 * What the SvelteKit server knows of the signed-in user during server-side rendering, shared by
 * the server hooks and the pages (no server-only imports here).
 */

/** The access token the server got with the refresh cookie, and whose it is. */
export interface ServerSession {
	access: string;
	username: string;
}

/** Answered by the SvelteKit server (hooks.server.ts): the request's session as JSON, or null. */
export const SESSION_PATH = '/__session.json';
