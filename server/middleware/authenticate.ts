/**
 * Sets `ctx.state.owner` from the caller's API key or token, and refuses the API without one when
 * the farm has API_KEYS or JWT_SECRET (except the open paths of auth/open-paths.ts).
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
    if (!identity.required || isOpenPath(ctx.path, ctx.method)) {
      ctx.state.owner = ANONYMOUS_OWNER;
      return next();
    }
    const caller = identity.identify(credentialOf(ctx));
    if (!caller.ok) {
      ctx.set('www-authenticate', 'Bearer realm="echarts-farm"');
      throw validationError('UNAUTHORIZED', caller.problem);
    }
    ctx.state.owner = caller.owner;
    ctx.state.logger = ctx.state.logger.child({ owner: caller.owner });
    return next();
  };
}
