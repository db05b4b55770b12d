/**
 * The demo at phone width (390 px, an iPhone 12-15) and on the desktop: nothing overflows
 * horizontally, every column of the list is reachable, and a screenshot of each page is kept
 * (e2e/screenshots/, listed in the report).
 */
import { expect, test, type Page } from '@playwright/test';
import { logIn, rows, snap } from './helpers';

const PHONE = { width: 390, height: 844 };

async function overflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test.describe('at 390 px', () => {
	test.use({ viewport: PHONE });

	test('the list, signed in, has no horizontal overflow and shows every field of a row', async ({ page }) => {
		await logIn(page);
		expect(await overflow(page)).toBe(0);
		const row = rows(page).first();
		for (const part of ['td.title', 'td.company', 'td.salary', 'td.row-actions button']) {
			const box = (await row.locator(part).boundingBox())!;
			expect(box.x).toBeGreaterThanOrEqual(0);
			expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
		}
		await snap(page, 'phone-list');
	});

	test('the create form, its errors and the detail page fit too', async ({ page }) => {
		await logIn(page);
		await page.getByRole('button', { name: 'New vacancy' }).click();
		await page.getByLabel('Title').fill('A title long enough to need two lines on a phone screen');
		await page.getByLabel('Company').selectOption({ index: 1 });
		await page.getByLabel('Minimum salary').fill('5000');
		await page.getByLabel('Maximum salary').fill('10');
		await page.getByRole('button', { name: 'Create vacancy' }).click();
		await expect(page.locator('.field-error[data-field="salary_max"]')).toBeVisible();
		expect(await overflow(page)).toBe(0);
		await snap(page, 'phone-form-errors');

		await page.goto(`/vacancies/${await rows(page).first().getAttribute('data-id')}`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await overflow(page)).toBe(0);
		await snap(page, 'phone-detail');
	});

	test('the login and not-found pages fit', async ({ page }) => {
		await page.goto('/login');
		expect(await overflow(page)).toBe(0);
		await snap(page, 'phone-login');
		await page.goto('/no/such/page');
		await expect(page.getByTestId('error-page')).toBeVisible();
		expect(await overflow(page)).toBe(0);
		await snap(page, 'phone-404');
	});
});

test('an unknown address is a real 404 page with a way home', async ({ page }) => {
	await page.goto('/no/such/page');
	await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
	await snap(page, 'desktop-404');
	await page.getByRole('link', { name: 'Back to all vacancies' }).click();
	await expect(page).toHaveURL(/\/vacancies$/);
});

test('a vacancy that does not exist is the 404 page, not a developer message', async ({ page }) => {
	await page.goto('/vacancies/00000000-0000-0000-0000-000000000000');
	await expect(page.getByTestId('error-page')).toContainText('404');
	await expect(page.getByText('No Vacancy matches')).toHaveCount(0);
});

test('salaries are shown with their currency', async ({ page }) => {
	await page.goto('/vacancies');
	await expect(rows(page).first().locator('td.salary')).toHaveText(/^€[\d,]+ – €[\d,]+$/);
	await snap(page, 'desktop-list-anonymous');
});

test('Redoc loads nothing from outside and words the not-blank rule', async ({ page }) => {
	const hosts = new Set<string>();
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (url.protocol.startsWith('http')) hosts.add(url.host); // not data: or blob: URLs
	});
	await page.goto('/api/redoc/');
	await expect(page.getByText('Must not be blank').first()).toBeAttached({ timeout: 20_000 });
	await expect(page.locator('img[alt="redocly logo"]')).toHaveAttribute('src', /^\/static\//);
	expect([...hosts]).toEqual([new URL(page.url()).host]);
	await snap(page, 'desktop-redoc');
});
