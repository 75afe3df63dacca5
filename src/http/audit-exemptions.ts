/**
 * State-changing routes that write no audit entry, each with the reason. The audit
 * coverage test (test/hardening/audit-coverage.test.ts) enumerates every POST, PUT,
 * PATCH and DELETE route from the route table and fails for any route that is neither
 * shown to write an entry nor listed here. Keep it short: a reason must say why the
 * change needs no trail.
 */
export const AUDIT_EXEMPTIONS: Readonly<Record<string, string>> = {
  'POST /api/admin/articles/:id/merge': 'computes a merge proposal (base, theirs, mine) and saves nothing; the save that follows is audited as article.save',
  'POST /api/admin/webhooks/:id/test': 'queues one signed webhook.test message; it changes no content or settings, and the endpoint\'s delivery log records it with its outcome',
  'POST /api/admin/webhooks/:id/deliveries/:deliveryId/retry': 'sends an existing delivery again now; it changes no content or settings, and the delivery log records the attempt',
  'POST /push/subscriptions': 'a reader\'s browser asks for alerts (public, no account); no content or settings change, and the subscription row is the record',
  'DELETE /push/subscriptions': 'a reader\'s browser stops alerts (public, no account); no content or settings change',
};
