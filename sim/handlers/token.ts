import { parseBasic } from '../http/auth.js';
import type { Req, SimContext } from '../http/context.js';
import { HttpError, jsonReply, type Reply } from '../http/reply.js';

const oauthError = (status: number, error: string, description: string): Reply =>
  jsonReply(status, { error, error_description: description });

/**
 * Keycloak-style token endpoint (openehr-rest.md §9): form-encoded `grant_type` password,
 * client_credentials or refresh_token; client credentials in the body or as HTTP Basic.
 */
export async function handleToken(ctx: SimContext, req: Req): Promise<Reply> {
  if (req.segments[0] === '.well-known') {
    return jsonReply(200, {
      issuer: ctx.urls.issuer,
      token_endpoint: ctx.urls.token,
      grant_types_supported: ['password', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['none'],
    });
  }
  if (req.method !== 'POST') throw new HttpError(405, `Request method '${req.method}' is not supported`);
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams((await req.body()).toString('utf8'));
  const basic = parseBasic(req.headers.authorization);
  const clientId = basic?.user ?? form.get('client_id') ?? '';
  const clientSecret = basic?.password ?? form.get('client_secret') ?? undefined;
  const client = ctx.credentials.oidcClients.find((c) => c.clientId === clientId);
  const grant = form.get('grant_type');
  if (!client || (client.clientSecret !== undefined && client.clientSecret !== clientSecret)) {
    return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
  }
  switch (grant) {
    case 'password': {
      const username = form.get('username') ?? '';
      const user = ctx.credentials.oidcUsers.find(
        (u) => u.username === username && u.password === form.get('password'),
      );
      if (!user) return oauthError(401, 'invalid_grant', 'Invalid user credentials');
      return jsonReply(200, ctx.tokens.issue(username, clientId, true));
    }
    case 'client_credentials':
      if (client.clientSecret === undefined)
        return oauthError(
          401,
          'unauthorized_client',
          'Public client not allowed to retrieve service account',
        );
      return jsonReply(200, ctx.tokens.issue(`service-account-${clientId}`, clientId, false));
    case 'refresh_token': {
      const used = ctx.tokens.useRefresh(form.get('refresh_token') ?? '');
      if (!used || used.clientId !== clientId)
        return oauthError(400, 'invalid_grant', 'Invalid refresh token');
      return jsonReply(200, ctx.tokens.issue(used.subject, clientId, true));
    }
    default:
      return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type ${grant ?? '(none)'}`);
  }
}
