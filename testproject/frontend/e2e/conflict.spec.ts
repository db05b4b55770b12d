/**
 * Lost-update protection as two users see it: the same vacancy open for editing in two
 * browsers (two sign-ins). The edit page saves with `If-Match` set to the ETag of the version
 * it was opened on, so the second save is refused (412) instead of overwriting the first.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { logIn, snap } from './helpers';

/** The PUT's final answer: a 401 from the 3-second access token is refreshed and retried. */
function saveResponse(page: Page) {
	return page.waitForResponse((r) => r.request().method() === 'PUT' && r.status() !== 401);
}

async function editor(browser: Browser, baseURL: string | undefined, id: string): Promise<Page> {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await logIn(page);
	await page.goto(`/vacancies/${id}/edit`);
	await expect(page.getByLabel('Title')).toBeVisible();
	return page;
}

test('a stale save is refused with a conflict, and reloading shows the first edit intact', async ({
	browser,
	baseURL,
	request
}) => {
	const published = await (await request.get('/api/vacancies/?status=published&page_size=1')).json();
	const vacancy = published.results[0];
	const first = await editor(browser, baseURL, vacancy.id);
	const second = await editor(browser, baseURL, vacancy.id);
	await expect(second.getByLabel('Title')).toHaveValue(vacancy.title);

	// The first editor saves.
	const firstTitle = `${vacancy.title} (edited first)`;
	await first.getByLabel('Title').fill(firstTitle);
	const firstSave = saveResponse(first);
	await first.getByRole('button', { name: 'Save' }).click();
	const saved = await firstSave;
	expect(saved.status()).toBe(200);
	expect(await saved.request().headerValue('if-match')).toMatch(/^".+"$/);
	await expect(first).toHaveURL(new RegExp(`/vacancies/${vacancy.id}$`));
	await expect(first.getByRole('heading', { name: firstTitle })).toBeVisible();

	// The second editor, still on the old version, saves too: refused, nothing overwritten.
	await second.getByLabel('Title').fill(`${vacancy.title} (edited second)`);
	const secondSave = saveResponse(second);
	await second.getByRole('button', { name: 'Save' }).click();
	const refused = await secondSave;
	expect(refused.status()).toBe(412);
	expect(await refused.json()).toMatchObject({ status_code: 412, code: 'precondition_failed' });
	const conflict = second.getByTestId('conflict');
	await expect(conflict).toContainText('Someone else saved this vacancy after you opened it');
	await expect(second).toHaveURL(new RegExp(`/vacancies/${vacancy.id}/edit$`));
	await snap(second, 'edit-conflict');
	const stored = await (await request.get(`/api/vacancies/${vacancy.id}/`)).json();
	expect(stored.title).toBe(firstTitle);

	// Reload: the form restarts from the latest version, the first edit in it.
	await conflict.getByRole('button', { name: 'Reload latest version' }).click();
	await expect(second.getByTestId('conflict')).toHaveCount(0);
	await expect(second.getByLabel('Title')).toHaveValue(firstTitle);
	await expect(second.getByRole('heading', { name: `Edit ${firstTitle}` })).toBeVisible();

	// Saving from the reloaded version now succeeds and keeps the first editor's title.
	await second.getByLabel('Description').fill('Second editor, after reloading.');
	const retry = saveResponse(second);
	await second.getByRole('button', { name: 'Save' }).click();
	expect((await retry).status()).toBe(200);
	await expect(second).toHaveURL(new RegExp(`/vacancies/${vacancy.id}$`));
	const final = await (await request.get(`/api/vacancies/${vacancy.id}/`)).json();
	expect(final).toMatchObject({ title: firstTitle, description: 'Second editor, after reloading.' });

	await first.context().close();
	await second.context().close();
});
