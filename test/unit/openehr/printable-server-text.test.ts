import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { tokenRequestError } from '../../../src/openehr/auth/oidc-errors.js';
import { serverMessage, statusError } from '../../../src/openehr/http/transport.js';

/** Text a hostile or broken server sends: an ANSI repaint, a carriage return that overwrites, a bell, NUL. */
const HOSTILE = 'bad\u001b[2J\u001b[31mred\r\nforged log line\u0007\u0000\u009b end';

const jsonResponse = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

describe('server text in errors', () => {
  it('has no control characters: escapes, CR/LF, bells and NUL are removed, tabs kept', () => {
    const message = serverMessage(jsonResponse(400, { error: 'Bad Request', message: `${HOSTILE}\tx` }));
    expect(message).toBe('bad[2J[31mred forged log line end\tx');
    const err = statusError('GET composition', jsonResponse(500, { message: HOSTILE }));
    expect(err.message).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
    expect(err.serverMessage).toBe('bad[2J[31mred forged log line end');
  });

  it('an OIDC refusal prints the error and description without control characters', () => {
    const refused = new oidc.ResponseBodyError('refused', {
      cause: { error: 'invalid_grant\u001b[0m', error_description: HOSTILE },
      response: new Response(null, { status: 400 }),
    } as never);
    const err = tokenRequestError(refused, 'http://127.0.0.1/token', 'password', []);
    expect(err.message).toContain('invalid_grant[0m');
    expect(err.message).toContain('bad[2J[31mred forged log line');
    expect(err.message).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
  });
});
