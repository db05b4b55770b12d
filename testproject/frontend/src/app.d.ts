// See https://svelte.dev/docs/kit/types#app.d.ts
import type { QueryClient } from '@tanstack/svelte-query';
import type { ServerSession } from './lib/ssr/session';

declare global {
	/** True in the SSR build (FRONTEND_MODE=ssr, vite.config.ts), false in the SPA build. */
	const __TYPED_API_SSR__: boolean;

	namespace App {
		interface Locals {
			/** The session the refresh cookie gave this request (hooks.server.ts), or null. */
			session: ServerSession | null;
		}
		interface PageData {
			queryClient: QueryClient;
			session: ServerSession | null;
		}
	}
}

export {};
