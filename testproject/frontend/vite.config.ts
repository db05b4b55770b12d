import adapterNode from '@sveltejs/adapter-node';
import adapterStatic from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Two modes, one code base (docs/concepts/svelte.md):
// - SPA (default): adapter-static with a fallback page makes a single-page app that Django
//   serves from build/ (testproject/frontend.py); every unknown path gets index.html.
// - SSR (FRONTEND_MODE=ssr): adapter-node writes a SvelteKit server to build-ssr/ that renders
//   pages with their data and proxies /api, /media, /static and /admin to Django
//   (src/hooks.server.ts); the refresh cookie signs the user in during server rendering.
// SvelteKit 3 reads its options here (not from svelte.config.js).
const ssr = process.env.FRONTEND_MODE === 'ssr';
const django = 'http://127.0.0.1:8000';

export default defineConfig({
	plugins: [
		sveltekit({
			adapter: ssr ? adapterNode({ out: 'build-ssr' }) : adapterStatic({ fallback: 'index.html' })
		})
	],
	define: { __TYPED_API_SSR__: JSON.stringify(ssr) },
	// `npm run dev` next to `manage.py runserver`: the API stays same-origin through the proxy.
	server: { proxy: { '/api': django, '/admin': django, '/media': django } }
});
