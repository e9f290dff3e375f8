/**
 * Credentials inside URLs (`postgresql.connection_string`, `openehr.base_url`). Passwords often hold
 * characters a URL reserves (`/`, `#`, `?`, `@`, `%`); written unencoded they make a URL parser split the
 * string somewhere else (the password becomes a port, a path, a fragment), so masking cannot rely on a
 * parse. The rule here needs no valid URL: everything between `scheme://` and the LAST `@` is user info,
 * whatever it contains; its user name is kept up to the first `:`, the rest is masked. Over-masking an odd
 * string is harmless; printing part of a password is not.
 */

export const URL_MASK = '***';

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)/i;
/** Query parameters libpq (and so node-postgres) reads a password from. */
const SECRET_PARAMS = /([?&](?:password|sslpassword)=)[^&]*/gi;

/** `scheme://user:secret@host/db?password=x` → `scheme://user:***@host/db?password=***`. */
export function maskUrlCredentials(url: string): string {
  const scheme = SCHEME.exec(url);
  if (!scheme) return url.replace(SECRET_PARAMS, `$1${URL_MASK}`);
  const rest = url.slice(scheme[1]!.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return scheme[1] + rest.replace(SECRET_PARAMS, `$1${URL_MASK}`);
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  // The user name is kept when it cannot hold part of the password (a `:` separates them).
  const shown = colon >= 0 ? `${userInfo.slice(0, colon)}:${URL_MASK}` : userInfo;
  return `${scheme[1]}${shown}@${rest.slice(at + 1).replace(SECRET_PARAMS, `$1${URL_MASK}`)}`;
}

/** Masks the credentials of every `scheme://…` URL inside a longer text (messages, quoted lines). */
export function maskUrlsIn(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]*/gi, (url) => maskUrlCredentials(url));
}

/**
 * Why a connection URL cannot be used as it is written, or undefined when it can. The same rule for
 * `validate-config` and `export`: a URL that parses only because an unencoded reserved character in the
 * password moved the split (so `@` ends up in the path, query or fragment, or a `#` starts a fragment) would
 * connect somewhere else with the wrong password. Never quotes the URL: it holds the password.
 */
export function connectionUrlProblem(raw: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(raw)) return 'not a URL starting with postgresql:// or postgres://';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL (a reserved character in the user name or password, such as / ? # @ or %, must be percent-encoded: / as %2F, ? as %3F, # as %23, @ as %40, % as %25)';
  }
  if (url.hash || raw.includes('#') || /@/.test(url.pathname + url.search)) {
    return 'the user name or password holds an unencoded reserved character (/ ? # or @); percent-encode it (/ as %2F, ? as %3F, # as %23, @ as %40)';
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'the user name or password holds a % that does not start a percent-encoding; write % as %25';
  }
  return undefined;
}
