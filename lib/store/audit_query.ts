/**
 * The audit trail's page query: a page size and the cursor of the last one.
 *
 * @module
 */
import { listQuery } from "../clinic/visit_input.ts";

export const auditQuery = listQuery.pick({ limit: true, cursor: true });
