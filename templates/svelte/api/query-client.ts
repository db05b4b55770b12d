/**
 * The app's TanStack QueryClient and its defaults.
 *
 * - Every query/mutation error is an `ApiError` (all query functions go through `unwrap()`),
 *   registered below so `query.error` is typed without annotations.
 * - Client errors (4xx) are not retried: retrying a 404 or a validation error cannot succeed.
 *   Network failures and 5xx are retried twice.
 */
import { QueryClient } from '@tanstack/svelte-query';
import { ApiError } from './errors';

declare module '@tanstack/svelte-query' {
	interface Register {
		defaultError: ApiError;
	}
}

export const MINUTE = 60 * 1000;

function shouldRetry(failureCount: number, error: unknown): boolean {
	if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
	return failureCount < 2;
}

export function createAppQueryClient(): QueryClient {
	return new QueryClient({
		defaultOptions: {
			queries: { retry: shouldRetry, staleTime: 30 * 1000, refetchOnWindowFocus: false },
			mutations: { retry: false }
		}
	});
}
