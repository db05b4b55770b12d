/**
 * The list's data before the page renders: on the server in SSR mode (the first HTML has the
 * vacancies), in the browser on navigation. The query keys are the page's own
 * (the generated `listVacanciesOptions`, `searchJobsOptions`, `listSkillsOptions`), so its queries start with this data.
 */
import { unwrap } from '../../lib/api/errors';
import {
	listSkillsOptions,
	listVacanciesOptions,
	searchJobsOptions
} from '../../lib/api/generated';
import { loadClient } from '../../lib/ssr/load-client';

export async function load({ parent, fetch, url }) {
	const { queryClient, session } = await parent();
	const api = loadClient(fetch, url.origin, session);
	const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
	const text = url.searchParams.get('q') ?? '';
	const skills = (url.searchParams.get('skills') ?? '').split(',').filter(Boolean);
	const vacancies = text
		? queryClient.prefetchQuery({
				...searchJobsOptions({ query: text, skills }, { page }),
				queryFn: ({ signal }) =>
					unwrap(api.POST('/api/jobs/search/', { body: { query: text, skills }, params: { query: { page } }, signal }))
			})
		: queryClient.prefetchQuery({
				...listVacanciesOptions({ page, skills }),
				queryFn: ({ signal }) =>
					unwrap(api.GET('/api/vacancies/', { params: { query: { page, skills } }, signal }))
			});
	const skillList = queryClient.prefetchQuery({
		...listSkillsOptions(),
		queryFn: ({ signal }) => unwrap(api.GET('/api/skills/', { signal }))
	});
	await Promise.all([vacancies, skillList]);
}
