import { expect, type Page } from '@playwright/test';

export const DEMO = { username: 'demo', password: 'demo-password' };

/** Sign in through the login form, as a user would. */
export async function logIn(page: Page): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Username').fill(DEMO.username);
	await page.getByLabel('Password').fill(DEMO.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(/\/vacancies/);
	await expect(page.getByTestId('username')).toHaveText(`Signed in as ${DEMO.username}`);
	await expect(rows(page).first()).toBeVisible();
}

export function rows(page: Page) {
	return page.getByTestId('vacancy-row');
}

/** Screenshots land in e2e/screenshots/ (git-ignored). */
export async function snap(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The access token lifetime of the e2e server (e2e/serve.sh). */
export const ACCESS_TOKEN_SECONDS = Number(process.env.E2E_ACCESS_TOKEN_SECONDS ?? 3);
