/**
 * State-changing routes that write no audit entry, each with the reason. The audit
 * coverage test (test/hardening/audit-coverage.test.ts) enumerates every POST, PUT,
 * PATCH and DELETE route from the route table and fails for any route that is neither
 * shown to write an entry nor listed here. Keep it short: a reason must say why the
 * change needs no trail.
 */
export const AUDIT_EXEMPTIONS: Readonly<Record<string, string>> = {};
