import * as oidc from 'openid-client';
import { AuthError, ConnectionError } from '../../errors.js';
import { printable } from '../../util/printable.js';
import { describeNetworkError, isNetworkError, OpenEhrHttpError } from '../http/errors.js';

/** Walks the cause chain (openid-client wraps what our fetch throws in a ClientError). */
function findCause<T>(err: unknown, match: (e: unknown) => e is T): T | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current !== undefined; depth++) {
    if (match(current)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/** Removes every occurrence of a secret from server-provided text, in case a server echoes it back. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 3) out = out.split(secret).join('***');
  return out;
}

/**
 * Maps a failed token request to a typed error whose message names the token URL and the OAuth error
 * code, and never a secret: refused credentials → AuthError (exit 3); unreachable or failing endpoint →
 * ConnectionError (exit 4).
 */
export function tokenRequestError(
  err: unknown,
  tokenUrl: string,
  grant: string,
  secrets: readonly (string | undefined)[],
): Error {
  const refused = findCause(err, (e): e is oidc.ResponseBodyError => e instanceof oidc.ResponseBodyError);
  if (refused) {
    const detail = refused.error_description
      ? ` (${printable(scrub(refused.error_description, secrets))})`
      : '';
    return new AuthError(
      `OIDC token endpoint ${tokenUrl} refused the ${grant} grant: ${printable(refused.error)}${detail}, HTTP ${refused.status}; ` +
        'check openehr.client_id and the credentials',
    );
  }
  const challenge = findCause(
    err,
    (e): e is oidc.WWWAuthenticateChallengeError => e instanceof oidc.WWWAuthenticateChallengeError,
  );
  if (challenge) {
    return new AuthError(
      `OIDC token endpoint ${tokenUrl} refused the ${grant} grant (HTTP ${challenge.status}); ` +
        'check openehr.client_id and the credentials',
    );
  }
  const status = findCause(err, (e): e is OpenEhrHttpError => e instanceof OpenEhrHttpError);
  if (status) {
    return new ConnectionError(`OIDC token endpoint ${tokenUrl} failed: HTTP ${status.status}`);
  }
  const network = findCause(err, (e): e is Error => e instanceof Error && isNetworkError(e));
  if (network) {
    return new ConnectionError(
      `cannot reach the OIDC token endpoint ${tokenUrl}: ${describeNetworkError(network)}`,
    );
  }
  // Anything else is a misbehaving endpoint (HTML error page, wrong path, not JSON): exit 4, not 3.
  const message = err instanceof Error ? scrub(err.message, secrets) : 'unknown error';
  const response = err instanceof Error && err.cause instanceof Response ? err.cause : undefined;
  const statusText = response ? ` (HTTP ${response.status})` : '';
  return new ConnectionError(`OIDC token request to ${tokenUrl} failed: ${message}${statusText}`);
}

/** A refresh refused by the server (expired/revoked refresh token): answered by a new login. */
export function isRefreshRefused(err: unknown): boolean {
  return (
    findCause(err, (e): e is oidc.ResponseBodyError => e instanceof oidc.ResponseBodyError) !== undefined ||
    findCause(
      err,
      (e): e is oidc.WWWAuthenticateChallengeError => e instanceof oidc.WWWAuthenticateChallengeError,
    ) !== undefined
  );
}
