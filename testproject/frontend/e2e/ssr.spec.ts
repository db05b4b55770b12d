/**
 * SSR mode (e2e/serve-ssr.sh): the SvelteKit server (adapter-node) renders pages with their
 * data in front of Django, and signs the user in during rendering with the httpOnly refresh
 * cookie. The raw HTML is read with the page's request context (its cookies, no JavaScript).
 */
import { expect, test } from '@playwright/test';
import { logIn, rows, snap } from './helpers';

test('the first HTML of the list already holds the vacancy titles', async ({ page }) => {
	const api = await (await page.request.get('/api/vacancies/')).json();
	const html = await (await page.request.get('/vacancies')).text();
	for (const vacancy of api.results) expect(html).toContain(`>${vacancy.title}</a>`);
	expect(html).toContain(`${api.count} vacancies`);

	// Hydrated from that HTML: no list request before the user asks for the next page.
	const listCalls: string[] = [];
	page.on('request', (r) => r.url().includes('/api/vacancies/') && listCalls.push(r.url()));
	await page.goto('/vacancies');
	await expect(rows(page)).toHaveCount(api.results.length);
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByTestId('summary')).toContainText('page 2 of');
	expect(listCalls.filter((url) => !url.includes('page=2'))).toEqual([]);
	await snap(page, 'ssr-list');
});

test('a signed-in page renders on the server with the refresh cookie', async ({ page, context }) => {
	await logIn(page);
	const cookie = (await context.cookies()).find((c) => c.name === 'refresh_token');
	expect(cookie?.httpOnly).toBe(true);
	expect(cookie?.path).toBe('/');

	const first = await page.request.get('/vacancies');
	const html = await first.text();
	expect(html).toContain('Signed in as demo');
	expect(html).toContain('aria-label="Delete '); // the signed-in markup, from the server
	expect(first.headers()['cache-control']).toBe('private, no-store');
	// The refresh rotated the token: the server handed the browser the new cookie.
	expect(first.headers()['set-cookie']).toMatch(/refresh_token=[^;]+; .*HttpOnly/i);

	// A reload renders signed in, and the page works as the signed-in user after hydration.
	await page.reload();
	await expect(page.getByTestId('username')).toHaveText('Signed in as demo');
	await expect(rows(page).getByRole('button', { name: /^Delete/ }).first()).toBeVisible();
	await snap(page, 'ssr-signed-in');
});

test('parallel requests with one refresh cookie are refreshed once, all signed in', async ({ page }) => {
	await logIn(page);
	// The refresh token rotates: refreshing for each of these would revoke it under the others.
	const pages = await Promise.all(
		['/vacancies', '/vacancies?page=2', '/vacancies?page=3', '/login'].map((url) => page.request.get(url))
	);
	for (const response of pages) expect(await response.text()).toContain('Signed in as demo');
	await page.reload();
	await expect(page.getByTestId('username')).toHaveText('Signed in as demo');
});

test('a detail page renders on the server; one that does not exist is a real 404', async ({ page }) => {
	const api = await (await page.request.get('/api/vacancies/?page_size=1')).json();
	const vacancy = api.results[0];
	const html = await (await page.request.get(`/vacancies/${vacancy.id}`)).text();
	expect(html).toMatch(new RegExp(`<h1[^>]*>${vacancy.title}</h1>`));
	const missing = await page.request.get('/vacancies/00000000-0000-0000-0000-000000000000');
	expect(missing.status()).toBe(404);
	expect(await missing.text()).toContain("We couldn't find that page");
});

test('the login button waits for hydration, so a password never lands in a GET query', async ({ page }) => {
	// Before hydration the form has no JavaScript: a native submit would be GET /login?password=...
	const html = await (await page.request.get('/login')).text();
	expect(html).toMatch(/<button class="primary" type="submit" disabled[^>]*>/);
	await page.goto('/login');
	await expect(page.getByRole('button', { name: 'Log in' })).toBeEnabled();
});

test('logging out on an SSR page ends the server-side session too', async ({ page }) => {
	await logIn(page);
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login/);
	const html = await (await page.request.get('/vacancies')).text();
	expect(html).not.toContain('Signed in as');
});
