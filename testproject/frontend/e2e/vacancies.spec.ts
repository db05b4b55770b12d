/**
 * The testproject front end against the real Django API in Debian's chromium: every behaviour
 * of the templates (typed client, token refresh, error envelope, optimistic updates) as a user
 * sees it. The server is e2e/serve.sh: 60 seeded vacancies (all the demo user's; anonymous
 * visitors do not see the drafts), 3-second access tokens.
 */
import { expect, test, type Request } from '@playwright/test';
import { ACCESS_TOKEN_SECONDS, logIn, rows, sleep, snap } from './helpers';

test('logging in shows the seeded vacancies', async ({ page }) => {
	await logIn(page);
	await expect(page.getByTestId('summary')).toContainText('60 vacancies · page 1 of 3');
	await expect(rows(page)).toHaveCount(20);
	await snap(page, 'list');
});

test('pagination moves through the pages in the URL', async ({ page }) => {
	await logIn(page);
	const firstOnPage1 = await rows(page).first().getAttribute('data-id');
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page).toHaveURL(/[?&]page=2/);
	await expect(page.getByTestId('summary')).toContainText('page 2 of 3');
	await expect(rows(page).first()).not.toHaveAttribute('data-id', firstOnPage1!);
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByTestId('summary')).toContainText('page 3 of 3');
	await expect(rows(page)).toHaveCount(20);
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
	await snap(page, 'page-3');
});

test('the skills filter narrows the list to vacancies with that skill', async ({ page }) => {
	await logIn(page);
	const filter = page.getByTestId('skills-filter');
	const skill = filter.getByRole('checkbox').first();
	const slugResponse = page.waitForResponse((r) => r.url().includes('skills=') && r.ok());
	await skill.check();
	const response = await slugResponse;
	const slug = new URL(response.url()).searchParams.get('skills')!;
	await expect(page).toHaveURL(new RegExp(`skills=${slug}`));
	const body = await response.json();
	expect(body.count).toBeGreaterThan(0);
	expect(body.count).toBeLessThan(60);
	await expect(page.getByTestId('summary')).toContainText(`${body.count} vacancies`);
	for (const cell of await rows(page).locator('td.tags').allTextContents()) {
		expect(cell.split(', ')).toContain(slug);
	}
	await snap(page, 'skill-filter');
});

test('search runs the read-only POST searchJobs as a query', async ({ page }) => {
	await logIn(page);
	const title = (await rows(page).first().locator('td').first().textContent())!.trim();
	const word = title.split(' ')[0];
	await page.getByRole('searchbox').fill(word);
	const searched = page.waitForResponse(
		(r) => r.url().includes('/api/jobs/search/') && r.request().method() === 'POST'
	);
	await page.getByRole('button', { name: 'Search' }).click();
	const response = await searched;
	expect(response.status()).toBe(200);
	await expect(page).toHaveURL(new RegExp(`q=${word}`));
	// (Chromium does not report the body of a fetch(Request); the narrowed count proves it.)
	const { count } = await response.json();
	expect(count).toBeGreaterThan(0);
	expect(count).toBeLessThan(60);
	await expect(page.getByTestId('summary')).toContainText(`${count} vacancies`);
	await expect(rows(page).filter({ hasText: title })).not.toHaveCount(0);
	await snap(page, 'search');
});

test('a created vacancy appears before the server answers and stays after', async ({ page }) => {
	await logIn(page);
	const title = `Optimistic engineer ${Date.now()}`;
	// Hold the POST for a moment so the optimistic row is observable.
	let answered = false;
	await page.route('**/api/vacancies/', async (route) => {
		if (route.request().method() !== 'POST') return route.continue();
		await sleep(1500);
		await route.continue();
	});
	page.on('response', (r) => {
		if (r.url().endsWith('/api/vacancies/') && r.request().method() === 'POST') answered = true;
	});

	await page.getByRole('button', { name: 'New vacancy' }).click();
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Company').selectOption({ index: 1 });
	await page.getByRole('button', { name: 'Create vacancy' }).click();

	const optimistic = rows(page).filter({ hasText: title });
	await expect(optimistic).toHaveAttribute('data-optimistic', 'true');
	expect(answered).toBe(false);
	await snap(page, 'create-optimistic');

	await expect(optimistic).not.toHaveAttribute('data-optimistic');
	expect(answered).toBe(true);
	await expect(page.getByText(`Vacancy "${title}" created.`)).toBeVisible();
	await expect(page.getByTestId('summary')).toContainText('61 vacancies');
	await page.reload();
	await expect(rows(page).first()).toContainText(title);
	await snap(page, 'create-confirmed');

	// Its creator may delete it (it is not closed): the row goes and stays gone.
	await rows(page).first().getByRole('button', { name: `Delete ${title}` }).click();
	// Nothing happens before the confirmation.
	const dialog = page.getByRole('dialog', { name: `Delete “${title}”?` });
	await expect(dialog).toBeVisible();
	await expect(rows(page).filter({ hasText: title })).toHaveCount(1);
	await snap(page, 'delete-confirm');
	await dialog.getByRole('button', { name: 'Delete vacancy' }).click();
	await expect(rows(page).filter({ hasText: title })).toHaveCount(0);
	await expect(page.getByText(`Vacancy "${title}" deleted.`)).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('summary')).toContainText('60 vacancies');
	await expect(rows(page).filter({ hasText: title })).toHaveCount(0);
});

test('an invalid form shows the envelope field errors by the fields', async ({ page }) => {
	await logIn(page);
	await page.getByRole('button', { name: 'New vacancy' }).click();
	const fieldError = (name: string) =>
		page.locator(`label:has([name="${name}"]) .field-error[data-field="${name}"]`);

	const first = page.waitForResponse((r) => r.url().endsWith('/api/vacancies/') && r.status() === 400);
	await page.getByRole('button', { name: 'Create vacancy' }).click();
	const envelope = await (await first).json();
	expect(envelope).toMatchObject({ status_code: 400, code: 'invalid' });
	await expect(fieldError('title')).toHaveText(envelope.error.title.join(' '));
	await expect(fieldError('company_id')).toHaveText(envelope.error.company_id.join(' '));
	expect(envelope.error.company_id).toEqual(['Choose a company.']);
	// One message per outcome: the fields say it, no toast on top.
	await expect(page.locator('[data-sonner-toast]')).toHaveCount(0);
	await expect(rows(page).filter({ has: page.locator('[data-optimistic]') })).toHaveCount(0);
	await snap(page, 'form-errors');

	// Cross-field validation: the serializer's error lands by salary_max.
	await page.getByLabel('Title').fill('Underpaid');
	await page.getByLabel('Company').selectOption({ index: 1 });
	await page.getByLabel('Minimum salary').fill('5000');
	await page.getByLabel('Maximum salary').fill('10');
	await page.getByRole('button', { name: 'Create vacancy' }).click();
	await expect(fieldError('salary_max')).toHaveText('Must be at least the minimum salary.');
	await expect(fieldError('title')).toHaveCount(0);
	await expect(page.getByTestId('summary')).toContainText('60 vacancies');
});

test('an expired access token is refreshed once, transparently', async ({ page }) => {
	await logIn(page);
	const refreshes: Request[] = [];
	const statuses: string[] = [];
	page.on('request', (r) => {
		if (r.url().endsWith('/api/auth/refresh/')) refreshes.push(r);
	});
	page.on('response', (r) => {
		const path = new URL(r.url()).pathname;
		if (path === '/api/vacancies/' || path === '/api/skills/') statuses.push(`${path} ${r.status()}`);
	});

	await sleep(ACCESS_TOKEN_SECONDS * 1000 + 700);
	// Reload: the list and the skills both go out with the expired token at once.
	await page.reload();
	await expect(page.getByTestId('summary')).toContainText('60 vacancies');
	await expect(page.getByTestId('skills-filter').getByRole('checkbox').first()).toBeVisible();
	await expect(page.getByTestId('username')).toBeVisible();

	expect(refreshes).toHaveLength(1);
	expect(statuses).toEqual(
		expect.arrayContaining([
			'/api/vacancies/ 401',
			'/api/skills/ 401',
			'/api/vacancies/ 200',
			'/api/skills/ 200'
		])
	);
	// And it keeps working: the next page loads with the new token.
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByTestId('summary')).toContainText('page 2 of 3');
	await snap(page, 'after-refresh');
});

test('a refused refresh signs the user out', async ({ page }) => {
	await logIn(page);
	await page.evaluate(() => {
		const session = JSON.parse(localStorage.getItem('typed-api.session')!);
		localStorage.setItem(
			'typed-api.session',
			JSON.stringify({ ...session, access: 'not-a-token', refresh: 'not-a-token-either' })
		);
	});
	await page.reload();
	await expect(page).toHaveURL(/\/login/);
	expect(await page.evaluate(() => localStorage.getItem('typed-api.session'))).toBeNull();
});

test('a delete the server refuses comes back with an error toast', async ({ page, request }) => {
	const closed = await (await request.get('/api/vacancies/?status=closed&page_size=1')).json();
	const vacancy = closed.results[0];
	await logIn(page);
	// Closed vacancies are kept for the record: the list offers no delete for them.
	await page.goto(`/vacancies?q=${encodeURIComponent(vacancy.title)}`);
	const row = rows(page).and(page.locator(`[data-id="${vacancy.id}"]`));
	await expect(row).toBeVisible();
	await expect(row.getByRole('button', { name: /Delete/ })).toHaveCount(0);

	// The detail page still has it (staff may delete); for anyone else the server refuses.
	await page.goto(`/vacancies/${vacancy.id}`);
	// A 401 may come first (3-second access tokens), then the retry with a fresh token.
	const refused = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.status() !== 401);
	await page.getByRole('button', { name: 'Delete', exact: true }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Delete vacancy' }).click();
	const response = await refused;
	expect(response.status()).toBe(403);
	expect(await response.json()).toMatchObject({ status_code: 403, code: 'permission_denied' });
	await expect(page.getByText("You don't have permission for this action.")).toBeVisible();
	await expect(page).toHaveURL(new RegExp(`/vacancies/${vacancy.id}$`)); // still there
	await snap(page, 'delete-refused');
	await page.goto(`/vacancies?q=${encodeURIComponent(vacancy.title)}`);
	await expect(row).toBeVisible();
});

test('logging out revokes the session and returns to the login page', async ({ page }) => {
	await logIn(page);
	const token = await page.evaluate(
		() => JSON.parse(localStorage.getItem('typed-api.session')!).access as string
	);
	const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout/'));
	await page.getByRole('button', { name: 'Log out' }).click();
	expect((await loggedOut).status()).toBe(204);
	await expect(page).toHaveURL(/\/login/);
	expect(await page.evaluate(() => localStorage.getItem('typed-api.session'))).toBeNull();

	// The access token died with the session, on the server too.
	const profile = await page.request.get('/api/user/profile/', {
		headers: { Authorization: `Bearer ${token}` }
	});
	expect(profile.status()).toBe(401);
	await page.goto('/vacancies');
	await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
	await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
	await snap(page, 'logged-out');
});
