/**
 * How requests are authenticated. One implementation per `auth_type`; the transport asks for a header
 * before each request and, after a 401, asks once for renewed credentials.
 */
export interface AuthProvider {
  /** The `Authorization` header value for the next request, or undefined for none. */
  authorization(signal: AbortSignal): Promise<string | undefined>;
  /**
   * Called after a 401 for a request sent with `rejected`. Returns true when fresh credentials exist (a new
   * token), false when retrying cannot help (static credentials). Concurrent callers share one renewal.
   */
  renew(rejected: string | undefined, signal: AbortSignal): Promise<boolean>;
  /** The AuthError text for a 401 that renewal did not cure. Never contains a secret. */
  rejectedMessage(origin: string): string;
}
