/**
 * Typed file uploads through openapi-fetch.
 *
 * An operation that takes files documents its body as `multipart/form-data` with
 * `format: binary` fields; openapi-typescript types those fields as `string`. `multipart()`
 * takes the body with `File`/`Blob` in those places (every other field as the schema says),
 * sends it as FormData (the browser sets the boundary), and keeps the call typed:
 *
 *   type LogoBody = components['schemas']['CompanyLogoRequest'];
 *   await unwrap(apiClient.POST('/api/companies/{slug}/logo/', {
 *     params: { path: { slug } },
 *     ...multipart<LogoBody>({ logo: file })
 *   }));
 *
 * The server's limits come back as the usual envelope, by field: 413 `file_too_large`,
 * 415 `unsupported_file_type`, 400 for the rest; `fieldErrors()` shows them under the input.
 * Check `file.size` against the limit before sending to spare the user the upload.
 */

/** `Body` with its `string` fields also accepting a `File`/`Blob` (the binary ones). */
export type WithFiles<Body> = {
	[K in keyof Body]: Body[K] extends string ? Body[K] | Blob : Body[K];
};

/** Append one value: files as they are, arrays as repeated fields, the rest as text. */
function append(form: FormData, key: string, value: unknown): void {
	if (value === undefined) return;
	if (value instanceof Blob) form.append(key, value);
	else if (Array.isArray(value)) for (const item of value) append(form, key, item);
	else form.append(key, value === null ? '' : String(value));
}

/** The body as FormData; `undefined` fields are left out. */
export function toFormData(body: object): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(body)) append(form, key, value);
	return form;
}

/**
 * Options for an openapi-fetch call with a multipart body: `body` typed as the schema's
 * (files allowed where it says binary) and a `bodySerializer` that sends FormData.
 */
export function multipart<Body extends object>(
	body: WithFiles<Body>
): { body: Body; bodySerializer: (body: Body) => FormData } {
	return { body: body as unknown as Body, bodySerializer: (value: Body) => toFormData(value) };
}
