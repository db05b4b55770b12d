import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// SvelteKit 3 reads its options here (not from svelte.config.js). adapter-static with a
// fallback page makes a single-page app that Django serves from build/ (testproject/frontend.py);
// every unknown path gets index.html, so deep links work.
const django = 'http://127.0.0.1:8000';

export default defineConfig({
	plugins: [sveltekit({ adapter: adapter({ fallback: 'index.html' }) })],
	// `npm run dev` next to `manage.py runserver`: the API stays same-origin through the proxy.
	server: { proxy: { '/api': django, '/admin': django } }
});
