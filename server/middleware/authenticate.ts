/**
 * Sets `ctx.state.owner` and `ctx.state.admin` from the caller's API key or token, and refuses the
 * API without one when the farm has keys, JWT_SECRET or JWT_JWKS_URL (except the open paths of
 * auth/open-paths.ts).
 */
import { validationError } from '../../errors/farm-error.js';
import type { FarmContext, FarmMiddleware } from '../app-deps.js';
import { ANONYMOUS_OWNER, type CallerIdentity } from '../auth/caller-identity.js';
import { isOpenPath } from '../auth/open-paths.js';

function credentialOf(ctx: FarmContext): string | undefined {
  const apiKey = ctx.get('x-api-key').trim();
  if (apiKey) return apiKey;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
  return bearer?.[1];
}

export function authenticate(identity: CallerIdentity): FarmMiddleware {
  return async (ctx, next) => {
    if (isOpenPath(ctx.path, ctx.method) && identity.required) {
      ctx.state.owner = ANONYMOUS_OWNER;
      ctx.state.admin = false;
      return next();
    }
    const identified = await identity.identify(credentialOf(ctx));
    if (!identified.ok) {
      ctx.set('www-authenticate', 'Bearer realm="echarts-farm"');
      throw validationError('UNAUTHORIZED', identified.problem);
    }
    ctx.state.owner = identified.caller.owner;
    ctx.state.admin = identified.caller.admin;
    if (identity.required) ctx.state.logger = ctx.state.logger.child({ owner: identified.caller.owner });
    return next();
  };
}
