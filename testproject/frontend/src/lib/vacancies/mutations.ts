/**
 * The vacancy mutations of the app, as option factories (one place for the optimistic logic;
 * pages call `createMutation(() => createVacancyOptions(queryClient))`).
 */
import { mutationOptions, type QueryClient, type QueryKey } from '@tanstack/svelte-query';
import { toast } from 'svelte-sonner';
import type { components } from '../api/backend-api-schema';
import { apiClient } from '../api/client';
import { handleApiError, unwrap } from '../api/errors';
import { ifMatch, isConflict, unwrapVersioned } from '../api/versioned';
import {
	vacancyKeys,
	type Company,
	type PaginatedVacancyList,
	type Vacancy
} from '../examples/queries';

export type VacancyRequest = components['schemas']['VacancyRequest'];

/** Rows not yet confirmed by the server carry this id prefix (rendered as "Saving..."). */
export const OPTIMISTIC_PREFIX = 'optimistic-';

export function isOptimistic(vacancy: Vacancy): boolean {
	return vacancy.id.startsWith(OPTIMISTIC_PREFIX);
}

function optimisticVacancy(body: VacancyRequest, company: Company | undefined): Vacancy {
	const now = new Date().toISOString();
	return {
		id: `${OPTIMISTIC_PREFIX}${crypto.randomUUID()}`,
		title: body.title,
		slug: '',
		description: body.description ?? '',
		company: company ?? { id: body.company_id, name: '…', slug: '', website: '', size: null },
		location: null,
		skills: body.skills ?? [],
		requirements: [],
		salary_min: body.salary_min ?? null,
		salary_max: body.salary_max ?? null,
		remote: body.remote ?? false,
		status: body.status ?? 'published',
		employment_type: body.employment_type ?? 'full_time',
		experience_level: body.experience_level ?? '',
		created_at: now,
		updated_at: now
	};
}

interface CreateVariables {
	body: VacancyRequest;
	/** The list the user is looking at: the new row appears at its top at once. */
	listKey: QueryKey;
	company?: Company;
}

export function createVacancyOptions(queryClient: QueryClient) {
	return mutationOptions({
		mutationKey: [...vacancyKeys.all, 'create'],
		mutationFn: ({ body }: CreateVariables) =>
			unwrap(apiClient.POST('/api/vacancies/', { body })),
		onMutate: async ({ body, listKey, company }) => {
			await queryClient.cancelQueries({ queryKey: vacancyKeys.lists() });
			const previous = queryClient.getQueryData<PaginatedVacancyList>(listKey);
			const optimistic = optimisticVacancy(body, company);
			queryClient.setQueryData<PaginatedVacancyList>(listKey, (old) =>
				old ? { ...old, count: old.count + 1, results: [optimistic, ...old.results] } : old
			);
			return { previous, optimisticId: optimistic.id };
		},
		onSuccess: (created, { listKey }, context) => {
			// Swap the placeholder for the server's row; the refetch below confirms the order.
			queryClient.setQueryData<PaginatedVacancyList>(listKey, (old) =>
				old
					? {
							...old,
							results: old.results.map((row) => (row.id === context.optimisticId ? created : row))
						}
					: old
			);
			// No detail seeded from `created`: a create answers without an ETag, and the edit page
			// must start from a read that has one.
			toast.success(`Vacancy "${created.title}" created.`);
		},
		onError: (error, { listKey }, context) => {
			if (context) queryClient.setQueryData(listKey, context.previous);
			handleApiError(error);
		},
		onSettled: () => queryClient.invalidateQueries({ queryKey: vacancyKeys.lists() })
	});
}

export function updateVacancyOptions(queryClient: QueryClient) {
	return mutationOptions({
		mutationKey: [...vacancyKeys.all, 'update'],
		/** `etag`: the version the form started from; a newer one on the server means 412. */
		mutationFn: ({ id, body, etag }: { id: string; body: VacancyRequest; etag: string | null }) =>
			unwrapVersioned(
				apiClient.PUT('/api/vacancies/{id}/', { params: { path: { id }, header: ifMatch(etag) }, body })
			),
		onSuccess: (updated) => {
			queryClient.setQueryData(vacancyKeys.detail(updated.item.id), updated);
			toast.success('Vacancy saved.');
		},
		// A conflict is shown on the page with a reload action; the rest is toasted.
		onError: (error) => {
			if (!isConflict(error)) handleApiError(error);
		},
		onSettled: () => queryClient.invalidateQueries({ queryKey: vacancyKeys.lists() })
	});
}

export function deleteVacancyOptions(queryClient: QueryClient) {
	return mutationOptions({
		mutationKey: [...vacancyKeys.all, 'delete'],
		/**
		 * With the ETag of the detail on screen, deletes that version only (a vacancy changed
		 * meanwhile answers 412); from a list row, which carries no ETag, unconditionally.
		 */
		mutationFn: ({ item, etag = null }: { item: Vacancy; etag?: string | null }) =>
			unwrap(
				apiClient.DELETE('/api/vacancies/{id}/', {
					params: { path: { id: item.id }, header: ifMatch(etag) }
				})
			),
		onMutate: async ({ item: vacancy }) => {
			await queryClient.cancelQueries({ queryKey: vacancyKeys.lists() });
			const previous = queryClient.getQueriesData<PaginatedVacancyList>({
				queryKey: vacancyKeys.lists()
			});
			queryClient.setQueriesData<PaginatedVacancyList>({ queryKey: vacancyKeys.lists() }, (old) =>
				old
					? {
							...old,
							count: old.count - 1,
							results: old.results.filter((row) => row.id !== vacancy.id)
						}
					: old
			);
			return { previous };
		},
		onSuccess: (_data, { item: vacancy }) => {
			queryClient.removeQueries({ queryKey: vacancyKeys.detail(vacancy.id) });
			toast.success(`Vacancy "${vacancy.title}" deleted.`);
		},
		onError: (error, _vacancy, context) => {
			for (const [key, data] of context?.previous ?? []) queryClient.setQueryData(key, data);
			handleApiError(error);
		},
		onSettled: () => queryClient.invalidateQueries({ queryKey: vacancyKeys.lists() })
	});
}
