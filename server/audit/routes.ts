/** GET /v1/audit and GET /v1/audit/verify (portfolio managers and admins). */
import { auditPageSchema, auditQuerySchema, auditVerifySchema } from '../../shared/sync/api';
import { requireRole } from '../auth/guard';
import type { App, ServerDeps } from '../deps';
import { BEARER, errorResponses } from '../ops/schemas';
import { queryAudit } from './query';
import { verifyAuditChain } from './verify';

export function registerAuditRoutes(app: App, deps: ServerDeps): void {
  const auth = requireRole({ db: deps.db, tokens: deps.tokens }, 'portfolio_manager', 'Reading the audit trail');

  app.get(
    '/v1/audit',
    {
      onRequest: auth,
      schema: {
        tags: ['audit'],
        summary: 'Audit entries by entity, record and time (paged)',
        security: BEARER,
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => queryAudit(deps.db, req.query),
  );

  app.get(
    '/v1/audit/verify',
    {
      onRequest: auth,
      schema: { tags: ['audit'], summary: 'Verify the hash chain of the audit trail', security: BEARER, response: { 200: auditVerifySchema, ...errorResponses(401, 403) } },
    },
    async (req) => {
      const r = await verifyAuditChain(deps.db);
      if (!r.ok) req.log.error({ event: 'audit_chain_broken', firstBrokenSeq: r.firstBrokenSeq }, 'the audit chain does not verify');
      return r;
    },
  );
}
