/**
 * The optimistic edit of the generated `partialUpdateVacancyMutation` (the detail page's "Close
 * vacancy", examples/MutationTemplate.svelte): the page shows the change before the server
 * answers, keeps it when the server accepts, and rolls it back when the server refuses (a 412:
 * someone else changed the vacancy since the page read it).
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO, logIn, sleep, snap } from './helpers';

/** A published vacancy no other spec touches (the conflict spec edits page 1's). */
async function publishedVacancy(request: APIRequestContext, page: number) {
	const list = await (await request.get(`/api/vacancies/?status=published&page_size=1&page=${page}`)).json();
	return list.results[0] as { id: string; title: string };
}

/** Hold the PATCH for a moment so the optimistic state is observable; the final answer. */
function holdPatch(page: Page, id: string) {
	let answered = false;
	page.route(`**/api/vacancies/${id}/`, async (route) => {
		if (route.request().method() === 'PATCH') await sleep(1500);
		await route.continue();
	});
	const response = page.waitForResponse((r) => {
		const final = r.request().method() === 'PATCH' && r.status() !== 401;
		if (final) answered = true;
		return final;
	});
	return { response, answered: () => answered };
}

test('an edit shows at once and stays when the server accepts it', async ({ page, request }) => {
	const vacancy = await publishedVacancy(request, 2);
	await logIn(page);
	await page.goto(`/vacancies/${vacancy.id}`);
	const meta = page.locator('p.meta');
	await expect(meta).toContainText('Published');

	const patch = holdPatch(page, vacancy.id);
	await page.getByRole('button', { name: 'Close vacancy' }).click();
	await expect(meta).toContainText('Closed'); // before the answer
	expect(patch.answered()).toBe(false);
	await snap(page, 'edit-optimistic');

	const response = await patch.response;
	expect(response.status()).toBe(200);
	expect(await response.request().headerValue('if-match')).toMatch(/^".+"$/);
	await expect(page.getByText('Vacancy closed.')).toBeVisible();
	await page.reload();
	await expect(meta).toContainText('Closed');
	expect((await (await request.get(`/api/vacancies/${vacancy.id}/`)).json()).status).toBe('closed');
});

test('an edit the server refuses with 412 is rolled back and offers a reload', async ({
	page,
	request
}) => {
	const vacancy = await publishedVacancy(request, 3);
	await logIn(page);
	await page.goto(`/vacancies/${vacancy.id}`);
	const meta = page.locator('p.meta');
	await expect(meta).toContainText('Published');

	// Someone else saves the vacancy after this page read it: its ETag is stale now.
	const login = await request.post('/api/auth/login/', { data: DEMO });
	const { access } = await login.json();
	const elsewhere = await request.patch(`/api/vacancies/${vacancy.id}/`, {
		data: { description: 'Changed in another tab.' },
		headers: { Authorization: `Bearer ${access}` }
	});
	expect(elsewhere.status()).toBe(200);

	const patch = holdPatch(page, vacancy.id);
	await page.getByRole('button', { name: 'Close vacancy' }).click();
	await expect(meta).toContainText('Closed'); // optimistic
	expect(patch.answered()).toBe(false);

	const response = await patch.response;
	expect(response.status()).toBe(412);
	expect(await response.json()).toMatchObject({ status_code: 412, code: 'precondition_failed' });
	await expect(meta).toContainText('Published'); // rolled back
	await expect(meta).not.toContainText('Closed');
	const conflict = page.getByTestId('conflict');
	await expect(conflict).toContainText('Someone else changed this vacancy');
	await snap(page, 'edit-rolled-back');

	await conflict.getByRole('button', { name: 'Reload latest version' }).click();
	await expect(page.getByText('Changed in another tab.')).toBeVisible();
	await expect(conflict).toHaveCount(0);
	expect((await (await request.get(`/api/vacancies/${vacancy.id}/`)).json()).status).toBe('published');
});
