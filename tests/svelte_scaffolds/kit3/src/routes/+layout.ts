// The templates read localStorage and talk to the API from the browser: a single-page app.
export const ssr = false;
