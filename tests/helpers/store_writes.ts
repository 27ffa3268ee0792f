/**
 * What a request wrote to the store, from two `snapshot`s taken around it:
 * the HTTP fuzz test's proof that a refused request changed nothing. Rows
 * that change on their own clock, or are written on purpose even when a
 * request is refused, are left out.
 *
 * @module
 */

/**
 * What a refused request may still write: a refused sign-in is counted
 * and audited by design (`snapshot` already leaves out the counters).
 * The waiting patient's presence is renewed on the call's own clock.
 */
const ONGOING = ['[["room_members"', '[["waiting_room"'];
const kept = (text: string, pathname: string) =>
  text.split("\n").filter((row) =>
    !ONGOING.some((prefix) => row.startsWith(prefix)) &&
    !(pathname.startsWith("/login") &&
      ((row.startsWith('[["audit"') &&
        row.includes('"action":"signin.')) ||
        row.startsWith('[["known_devices"')))
  );
/** Records Deno KV removes when their time is up, whatever the request. */
const EXPIRING = [
  '[["join_tickets"',
  '[["flash"',
  '[["visit_links"',
  '[["patient_links"',
  '[["setup_link"',
  '[["room_chat"',
];
/** Rows the request added or changed, and rows gone that do not expire. */
export const written = (before: string, after: string, pathname: string) => {
  const old = kept(before, pathname);
  const now = kept(after, pathname);
  const oldRows = new Set(old);
  const nowRows = new Set(now);
  const changed = [
    ...now.filter((row) => !oldRows.has(row)),
    ...old.filter((row) =>
      !nowRows.has(row) && !EXPIRING.some((p) => row.startsWith(p))
    ),
  ];
  return changed.map((row) => JSON.stringify(JSON.parse(row)[0]));
};
