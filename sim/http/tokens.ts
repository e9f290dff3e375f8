import { randomBytes } from 'node:crypto';

interface Issued {
  expiresAtMs: number;
  generation: number;
}

/**
 * Access and refresh tokens issued by the fake OIDC endpoint. Tokens look like JWTs (clients may decode
 * `exp`) but are only checked against this registry; `revoke()` invalidates everything issued so far.
 */
export class TokenRegistry {
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Issued & { subject: string; clientId: string }>();
  private generation = 0;

  constructor(
    public ttlSeconds: number,
    private issuer: string,
  ) {}

  /** The issuer is known only once the server listens (its port). */
  setIssuer(issuer: string): void {
    this.issuer = issuer;
  }

  private jwt(subject: string, clientId: string, expSeconds: number, type: string): string {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      exp: expSeconds,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      iss: this.issuer,
      sub: subject,
      typ: type,
      azp: clientId,
      realm_access: { roles: ['USER'] },
      scope: 'openid profile email',
    };
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.${randomBytes(16).toString('base64url')}`;
  }

  issue(subject: string, clientId: string, withRefresh: boolean) {
    this.prune();
    const now = Date.now();
    const ttl = this.ttlSeconds;
    const accessToken = this.jwt(subject, clientId, Math.floor(now / 1000) + ttl, 'Bearer');
    this.access.set(accessToken, { expiresAtMs: now + ttl * 1000, generation: this.generation });
    const result: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: ttl,
      refresh_expires_in: withRefresh ? ttl * 4 : 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'openid profile email',
    };
    if (withRefresh) {
      const refreshToken = this.jwt(subject, clientId, Math.floor(now / 1000) + ttl * 4, 'Refresh');
      this.refresh.set(refreshToken, {
        expiresAtMs: now + ttl * 4000,
        generation: this.generation,
        subject,
        clientId,
      });
      result.refresh_token = refreshToken;
      result.session_state = randomBytes(8).toString('hex');
    }
    return result;
  }

  isValidAccess(token: string): boolean {
    const t = this.access.get(token);
    return t !== undefined && t.generation === this.generation && t.expiresAtMs > Date.now();
  }

  /** The refresh token's subject and client when valid (single use: it is consumed). */
  useRefresh(token: string): { subject: string; clientId: string } | undefined {
    const t = this.refresh.get(token);
    if (!t || t.generation !== this.generation || t.expiresAtMs <= Date.now()) return undefined;
    this.refresh.delete(token);
    return { subject: t.subject, clientId: t.clientId };
  }

  revoke(): void {
    this.generation++;
    this.access.clear();
    this.refresh.clear();
  }

  private prune(): void {
    const now = Date.now();
    for (const [k, v] of this.access) if (v.expiresAtMs <= now) this.access.delete(k);
    for (const [k, v] of this.refresh) if (v.expiresAtMs <= now) this.refresh.delete(k);
  }
}
