import { defineConfig } from '@playwright/test';

// Two stacks, both on fresh seeded SQLite databases, in Debian's chromium (never a downloaded
// browser):
// - spa: Django (gunicorn) serves the built single-page app and the API on one origin,
//   127.0.0.1:$E2E_PORT (e2e/serve.sh);
// - ssr: the SvelteKit server (build-ssr/, adapter-node) on $E2E_PORT+2 in front of Django on
//   $E2E_PORT+3 in refresh-cookie mode (e2e/serve-ssr.sh).
const port = Number(process.env.E2E_PORT ?? 8501);
const ssrPort = port + 2;

export default defineConfig({
	testDir: 'e2e',
	outputDir: 'test-results',
	// One server per stack, one database each, tests that create and delete rows: one at a time.
	workers: 1,
	fullyParallel: false,
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 7_000 },
	reporter: [['list']],
	use: {
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
	projects: [
		{ name: 'spa', testIgnore: /ssr\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${port}` } },
		{ name: 'ssr', testMatch: /ssr\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${ssrPort}` } }
	],
	webServer: [
		{
			command: 'bash e2e/serve.sh',
			url: `http://127.0.0.1:${port}/api/skills/`,
			env: { E2E_PORT: String(port) },
			reuseExistingServer: false,
			timeout: 90_000,
			stdout: 'ignore',
			stderr: 'pipe'
		},
		{
			command: 'bash e2e/serve-ssr.sh',
			url: `http://127.0.0.1:${ssrPort}/api/skills/`,
			env: { E2E_SSR_PORT: String(ssrPort) },
			reuseExistingServer: false,
			timeout: 90_000,
			stdout: 'ignore',
			stderr: 'pipe'
		}
	]
});
