/**
 * Type tests, run by `npm run check` (svelte-check), never executed: a generated query's
 * `error` is the operation's own error union, so it narrows per documented status.
 */
import { createQuery } from '@tanstack/svelte-query';
import { listVacanciesOptions, retrieveVacancyOptions } from '../api/generated';

export function retrieveErrorsNarrowPerStatus(id: string): string | null | undefined {
	const vacancy = createQuery(() => retrieveVacancyOptions(id));
	const error = vacancy.error;
	if (error?.status === 404) return error.body.message;
	// @ts-expect-error: a retrieve sends no If-Match, so 412 is not among its errors
	if (error?.status === 412) return 'conflict';
	return vacancy.data?.etag;
}

export function listErrorsIncludeTheBadFilter(): string | undefined {
	const vacancies = createQuery(() => listVacanciesOptions({ page: 2 }));
	const error = vacancies.error;
	if (error?.status === 400) return error.body.code;
	// @ts-expect-error: a list has no conflict either
	if (error?.status === 412) return 'conflict';
	return vacancies.data?.results[0]?.title;
}
