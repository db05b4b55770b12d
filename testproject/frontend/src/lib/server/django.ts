/**
 * The SvelteKit server's side of SSR mode: Django's address, the proxy in front of it, and
 * the session a request's refresh cookie gives.
 */

/** Django, as the SvelteKit server reaches it (never the browser). */
export function djangoOrigin(): string {
	return (process.env.DJANGO_ORIGIN ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
}

/** Paths Django answers: the browser asks the SvelteKit server, which passes them on. */
export const DJANGO_PATHS = /^\/(?:api|media|static|admin)(?:\/|$)/;

/** The largest body passed on (the API's largest upload limit, with room for the form). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Django's own answer to an oversize body, the error envelope (code request_too_large). */
function tooLarge(): Response {
	return Response.json(
		{
			error: { detail: 'The request body is too large.' },
			status_code: 413,
			message: 'The request body is too large.',
			code: 'request_too_large'
		},
		{ status: 413 }
	);
}

/** Headers that describe one hop, not the message (RFC 9110 section 7.6.1), plus the ones
 * fetch() already undid (it decompresses, so the length and encoding no longer hold). */
const HOP_HEADERS = [
	'connection',
	'keep-alive',
	'transfer-encoding',
	'upgrade',
	'host',
	'content-length',
	'content-encoding'
];

function strip(headers: Headers): Headers {
	const copy = new Headers(headers);
	for (const name of HOP_HEADERS) copy.delete(name);
	return copy;
}

/**
 * Pass a browser request on to Django and its answer back, cookies included (login sets the
 * refresh cookie on this origin). Django sees the browser's host in X-Forwarded-Host, so its
 * CSRF origin check compares like with like.
 */
export async function proxy(request: Request, url: URL): Promise<Response> {
	const headers = strip(request.headers);
	headers.set('x-forwarded-host', url.host);
	headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
	const init: RequestInit = { method: request.method, headers, redirect: 'manual' };
	if (request.method !== 'GET' && request.method !== 'HEAD') {
		// Django (WSGI) reads a body by its Content-Length: send a buffered one, never chunked,
		// and refuse what no view of the API would take before buffering it.
		const declared = Number(request.headers.get('content-length') ?? NaN);
		if (!(declared <= MAX_BODY_BYTES)) return tooLarge();
		init.body = await request.arrayBuffer();
	}
	const answer = await fetch(`${djangoOrigin()}${url.pathname}${url.search}`, init);
	return new Response(answer.body, {
		status: answer.status,
		statusText: answer.statusText,
		headers: strip(answer.headers)
	});
}
