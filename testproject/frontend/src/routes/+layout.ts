// A single-page app: the API client reads the session from localStorage in the browser.
export const ssr = false;
export const prerender = false;
