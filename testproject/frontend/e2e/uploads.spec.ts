/**
 * Typed uploads in the browser: a company logo sent as multipart/form-data through
 * openapi-fetch, stored under a generated name and shown; a file over the limit refused by
 * the server with the envelope (413, by field) and said under the input.
 */
import { expect, test } from '@playwright/test';
import { logIn, snap } from './helpers';

/** A real 1x1 PNG. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64'
);
/** The server's limit for logos (testproject/vacancies/serializers.py). */
const LOGO_MAX_BYTES = 512 * 1024;

async function openAPublishedVacancy(page: import('@playwright/test').Page) {
	const list = await (await page.request.get('/api/vacancies/?status=published&page_size=1')).json();
	const vacancy = list.results[0];
	await page.goto(`/vacancies/${vacancy.id}`);
	await expect(page.getByRole('heading', { name: vacancy.title })).toBeVisible();
	return vacancy;
}

test('a logo is uploaded as multipart, stored under a generated name and shown', async ({ page }) => {
	await logIn(page);
	await openAPublishedVacancy(page);
	const uploaded = page.waitForResponse((r) => r.url().includes('/logo/') && r.request().method() === 'POST' && r.status() !== 401);
	await page.getByLabel(/Company logo/).setInputFiles({
		name: '../../evil name.png',
		mimeType: 'text/html',
		buffer: PNG
	});
	const response = await uploaded;
	expect(response.status()).toBe(200);
	expect(response.request().headers()['content-type']).toMatch(/^multipart\/form-data; boundary=/);
	const company = await response.json();
	expect(company.logo).toMatch(/\/media\/logos\/[0-9a-f]{32}\.png$/);

	const logo = page.getByTestId('company-logo').first();
	await expect(logo).toHaveAttribute('src', company.logo);
	await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
	await expect(page.getByText(`New logo for ${company.name} saved.`)).toBeVisible();
	await snap(page, 'logo-uploaded');

	// Every vacancy of the company shows it in the list too.
	await page.goto(`/vacancies?q=${encodeURIComponent(company.name)}`);
	await expect(page.locator(`img[src="${company.logo}"]`).first()).toBeVisible();
});

test('a logo over the limit is refused with the envelope, under the field', async ({ page }) => {
	await logIn(page);
	await openAPublishedVacancy(page);
	const refused = page.waitForResponse((r) => r.url().includes('/logo/') && r.request().method() === 'POST' && r.status() !== 401);
	await page.getByLabel(/Company logo/).setInputFiles({
		name: 'huge.png',
		mimeType: 'image/png',
		buffer: Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)])
	});
	const response = await refused;
	expect(response.status()).toBe(413);
	const envelope = await response.json();
	expect(envelope).toMatchObject({ status_code: 413, code: 'file_too_large' });
	expect(Object.keys(envelope.error)).toEqual(['logo']);
	const error = page.locator('.field-error[data-field="logo"]');
	await expect(error).toHaveText(envelope.error.logo.join(' '));
	await expect(error).toContainText('the limit is 512');
	await snap(page, 'logo-too-large');
});

test('a file that is not an image is refused as such (415), whatever its name', async ({ page }) => {
	await logIn(page);
	await openAPublishedVacancy(page);
	const refused = page.waitForResponse((r) => r.url().includes('/logo/') && r.request().method() === 'POST' && r.status() !== 401);
	await page.getByLabel(/Company logo/).setInputFiles({
		name: 'logo.png',
		mimeType: 'image/png',
		buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
	});
	const response = await refused;
	expect(response.status()).toBe(415);
	expect(await response.json()).toMatchObject({ code: 'unsupported_file_type' });
	await expect(page.locator('.field-error[data-field="logo"]')).toContainText('not one of the accepted types');
});

test('an application is sent with a PDF CV', async ({ page }) => {
	await logIn(page);
	await openAPublishedVacancy(page);
	await page.getByLabel(/Cover letter/).fill('I would love to work with you.');
	await page.getByLabel(/^CV/).setInputFiles({
		name: 'cv.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
	});
	// The e2e server's access tokens live 3 seconds: a 401 may come first, then the retry.
	const sent = page.waitForResponse((r) => r.url().endsWith('/api/applications/') && r.status() !== 401);
	await page.getByRole('button', { name: 'Send application' }).click();
	expect((await sent).status()).toBe(201);
	await expect(page.getByRole('status').filter({ hasText: 'Your application was sent.' })).toBeVisible();
});
