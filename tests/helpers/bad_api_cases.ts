/**
 * Bad requests to the API other than a new appointment's body: listing
 * queries, malformed and unknown ids, empty, unknown and stale changes,
 * wrong methods and tickets that cannot be given; each with the answer it
 * must get; and the shape every case has.
 *
 * @module
 */

/** One bad request and the error it must get back. */
export interface Case {
  name: string;
  method: string;
  path: string | ((ids: Ids) => string);
  body?: string;
  type?: string;
  status: number;
  code?: string;
  field?: string;
  signedOut?: boolean;
}

/** The booked appointment and visit token a case's path may name. */
export interface Ids {
  id: string;
  token: string;
}

export const json = "application/json";
export const form = "application/x-www-form-urlencoded";

export const requestCases: Case[] = [
  {
    name: "bad limit",
    method: "GET",
    path: "/api/appointments?limit=0",
    status: 400,
    code: "invalid_input",
    field: "limit",
  },
  {
    name: "limit too high",
    method: "GET",
    path: "/api/appointments?limit=101",
    status: 400,
    code: "invalid_input",
    field: "limit",
  },
  {
    name: "limit not a number",
    method: "GET",
    path: "/api/appointments?limit=abc",
    status: 400,
    code: "invalid_input",
    field: "limit",
  },
  {
    name: "unknown query",
    method: "GET",
    path: "/api/appointments?sort=name",
    status: 400,
    code: "invalid_input",
  },
  {
    name: "forged cursor",
    method: "GET",
    path: "/api/appointments?cursor=AAAAAAAAAAAAAAAA",
    status: 400,
    code: "invalid_cursor",
  },
  {
    name: "malformed id",
    method: "GET",
    path: "/api/appointments/..%2f..%2fetc",
    status: 404,
    code: "not_found",
  },
  {
    name: "unknown id",
    method: "GET",
    path: "/api/appointments/00000000000000000000000000000000",
    status: 404,
    code: "not_found",
  },
  {
    name: "patch with nothing",
    method: "PATCH",
    path: (i) => `/api/appointments/${i.id}`,
    body: "{}",
    type: json,
    status: 400,
    code: "invalid_input",
  },
  {
    name: "patch unknown field",
    method: "PATCH",
    path: (i) => `/api/appointments/${i.id}`,
    body: '{"status":"scheduled"}',
    type: json,
    status: 400,
    code: "invalid_input",
  },
  {
    name: "patch stale version",
    method: "PATCH",
    path: (i) => `/api/appointments/${i.id}`,
    body: '{"reason":"x","version":"00000000000000010000"}',
    type: json,
    status: 409,
    code: "conflict",
  },
  {
    name: "patch unknown id",
    method: "PATCH",
    path: "/api/appointments/00000000000000000000000000000000",
    body: '{"reason":"x"}',
    type: json,
    status: 404,
    code: "not_found",
  },
  {
    name: "delete unknown id",
    method: "DELETE",
    path: "/api/appointments/00000000000000000000000000000000",
    status: 404,
    code: "not_found",
  },
  {
    name: "delete stale If-Match",
    method: "DELETE",
    path: (i) => `/api/appointments/${i.id}`,
    status: 409,
    code: "conflict",
  },
  {
    name: "wrong method",
    method: "PUT",
    path: "/api/appointments",
    body: "{}",
    type: json,
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "visit link for unknown id",
    method: "POST",
    path: "/api/appointments/00000000000000000000000000000000/visit-link",
    status: 404,
    code: "not_found",
  },
  {
    name: "ticket for unknown id",
    method: "POST",
    path: "/api/appointments/00000000000000000000000000000000/ticket",
    status: 404,
    code: "not_found",
  },
  {
    name: "ticket too early",
    method: "POST",
    path: (i) => `/api/appointments/${i.id}/ticket`,
    status: 409,
    code: "not_open",
  },
  {
    name: "patient ticket, forged token",
    method: "POST",
    path: `/api/visits/${"A".repeat(43)}/ticket`,
    status: 404,
    code: "not_found",
    signedOut: true,
  },
  {
    name: "patient ticket, malformed token",
    method: "POST",
    path: "/api/visits/short/ticket",
    status: 404,
    code: "not_found",
    signedOut: true,
  },
  {
    name: "unknown API path",
    method: "GET",
    path: "/api/nothing-here",
    status: 404,
    code: "not_found",
  },
];
