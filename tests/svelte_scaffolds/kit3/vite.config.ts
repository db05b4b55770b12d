import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// SvelteKit 3 reads its options here, not from svelte.config.js.
export default defineConfig({
	plugins: [sveltekit({ adapter: adapter({ fallback: '200.html' }) })]
});
