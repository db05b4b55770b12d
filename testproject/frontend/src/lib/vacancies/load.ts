/**
 * One vacancy before its page renders (the detail and the edit page; on the server in SSR
 * mode): a vacancy that does not exist, or is a draft not yours, is the app's 404 page
 * (+error.svelte) with a way back.
 */
import { error } from '@sveltejs/kit';
import type { QueryClient } from '@tanstack/svelte-query';
import { ApiError } from '../api/errors';
import { retrieveVacancyOptions } from '../api/generated';
import { unwrapVersioned } from '../api/versioned';
import { loadClient } from '../ssr/load-client';
import type { ServerSession } from '../ssr/session';

/** The part of a `[id]` page's load event this needs (the root layout's data as parent). */
export interface VacancyLoadEvent {
	parent: () => Promise<{ queryClient: QueryClient; session: ServerSession | null }>;
	fetch: typeof fetch;
	params: { id: string };
	url: URL;
}

export async function loadVacancy({ parent, fetch, params, url }: VacancyLoadEvent) {
	const { queryClient, session } = await parent();
	const api = loadClient(fetch, url.origin, session);
	try {
		await queryClient.fetchQuery({
			...retrieveVacancyOptions(params.id),
			queryFn: ({ signal }) =>
				unwrapVersioned(api.GET('/api/vacancies/{id}/', { params: { path: { id: params.id } }, signal }))
		});
	} catch (cause) {
		if (cause instanceof ApiError && (cause.status === 404 || cause.status === 400)) {
			error(404, 'Vacancy not found');
		}
		// Anything else: the page shows its own error panel and a retry.
	}
}
