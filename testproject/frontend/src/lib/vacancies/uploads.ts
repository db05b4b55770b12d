/**
 * The uploads of the demo: a company's logo and an application with a CV, through the
 * generated multipart mutations (FormData typed from the schema), with the demo's messages.
 */
import type { QueryClient } from '@tanstack/svelte-query';
import { toast } from 'svelte-sonner';
import { ApiError, handleApiError } from '../api/errors';
import {
	createJobApplicationMutation,
	uploadCompanyLogoMutation,
	vacancyKeys,
	type CreateJobApplicationFields,
	type UploadCompanyLogoFields
} from '../api/generated';

export type CompanyLogoRequest = UploadCompanyLogoFields;
export type JobApplicationRequest = CreateJobApplicationFields;

/** The server's limits (testproject/vacancies/serializers.py), shown next to the inputs. */
export const LOGO_MAX_BYTES = 512 * 1024;
export const CV_MAX_BYTES = 2 * 1024 * 1024;

/** Errors shown under the file input: no toast for them (one message per outcome). */
export function isFieldError(error: unknown): boolean {
	return error instanceof ApiError && [400, 413, 415].includes(error.status);
}

function toastOtherErrors(error: ApiError): void {
	if (!isFieldError(error)) handleApiError(error);
}

export function uploadLogoOptions(queryClient: QueryClient) {
	return uploadCompanyLogoMutation(queryClient, {
		onSuccess: (company) => {
			toast.success(`New logo for ${company.name} saved.`);
			// Every vacancy embeds its company: its lists and details show the new logo too.
			queryClient.invalidateQueries({ queryKey: vacancyKeys.all });
		},
		onError: toastOtherErrors
	});
}

export function applyOptions(queryClient: QueryClient) {
	return createJobApplicationMutation(queryClient, {
		onSuccess: () => {
			toast.success('Application sent. Good luck!');
		},
		onError: toastOtherErrors
	});
}
