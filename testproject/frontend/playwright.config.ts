import { defineConfig } from '@playwright/test';

// Django (gunicorn on 127.0.0.1, fresh seeded SQLite) serves the built front end and the API
// on one origin; e2e/serve.sh starts it. Debian's chromium, never a downloaded browser.
const port = Number(process.env.E2E_PORT ?? 8501);

export default defineConfig({
	testDir: 'e2e',
	outputDir: 'test-results',
	// One server, one database, tests that create and delete rows: run them one at a time.
	workers: 1,
	fullyParallel: false,
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 7_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		command: 'bash e2e/serve.sh',
		url: `http://127.0.0.1:${port}/api/skills/`,
		env: { E2E_PORT: String(port) },
		reuseExistingServer: false,
		timeout: 90_000,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
