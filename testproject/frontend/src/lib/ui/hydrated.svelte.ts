/**
 * Whether this component has hydrated. A server-rendered form that only submits through
 * JavaScript keeps its submit button disabled until then: a native submit before hydration
 * would send the fields as a GET query (the password in the URL, the history and the logs).
 * Effects never run on the server, so the value is false in the server's HTML.
 */
export function hydrated(): { readonly current: boolean } {
	let done = $state(false);
	$effect(() => {
		done = true;
	});
	return {
		get current() {
			return done;
		}
	};
}
