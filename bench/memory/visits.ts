/**
 * Visits for the memory benchmark, made through the clinic's API as a
 * doctor and patients make them: booked and checked in once, then, on each
 * server started on a copy of that store, a fresh ticket for each side.
 *
 * @module
 */
import { checkIn } from "@/tests/helpers/signal_client.ts";
import type { HoldPlan, Seat } from "./hold_participants.ts";
import { okJson } from "@/bench/signaling/servers.ts";

/** Requests under way at once. */
const CONCURRENCY = 50;

export interface BookedVisit {
  id: string;
  /** The patient's visit link's token. */
  token: string;
}

async function inBatches<T, R>(
  items: T[],
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    out.push(...await Promise.all(items.slice(i, i + CONCURRENCY).map(run)));
  }
  return out;
}

/** `count` visits open for joining now (for the next 30 minutes), checked in. */
export function bookVisits(
  url: string,
  cookie: string,
  count: number,
): Promise<BookedVisit[]> {
  return inBatches(Array.from({ length: count }, (_, i) => i), async (i) => {
    const created = await okJson(
      await fetch(`${url}/api/appointments`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({
          patientName: `Patient ${i}`,
          startsAt: new Date(Date.now() + 60_000).toISOString(),
          durationMinutes: 30,
        }),
      }),
      "booking",
    );
    await checkIn(created.visitUrl);
    return {
      id: created.id,
      token: created.visitUrl.split("/visit/")[1],
    };
  });
}

type Offer = { signalingUrl: string; roomId: string; ticket: string };

function seat(offer: Offer, until: Seat["until"]): Seat {
  return {
    url: offer.signalingUrl,
    join: { type: "join-room", roomId: offer.roomId, ticket: offer.ticket },
    until,
  };
}

/**
 * A ticket for each side of each visit, as the join pages ask for them;
 * answers the holder's plan: the patients first (each waits for the
 * doctor), then the doctors (each meets the patient).
 */
export async function ticketPlan(
  url: string,
  cookie: string,
  visits: BookedVisit[],
): Promise<HoldPlan> {
  const pairs = await inBatches(visits, async (visit) => {
    const patient: Offer = await okJson(
      await fetch(`${url}/api/visits/${visit.token}/ticket`, {
        method: "POST",
      }),
      "patient ticket",
    );
    const doctor: Offer = await okJson(
      await fetch(`${url}/api/appointments/${visit.id}/ticket`, {
        method: "POST",
        headers: { cookie },
      }),
      "doctor ticket",
    );
    return { patient, doctor };
  });
  return [
    pairs.map((p) => seat(p.patient, "waiting-for-peer")),
    pairs.map((p) => seat(p.doctor, "peer-joined")),
  ];
}

/** As many plain requests as the clinic's tickets, to the floor's "ok". */
export async function plainRequests(url: string, count: number) {
  await inBatches(Array.from({ length: count }), async () => {
    await (await fetch(url)).text();
  });
}

/**
 * The floor's plan: two sockets a room, rooms `from` to `to` (excluded),
 * open. With `pingEveryMs`, they carry what a joined participant's socket
 * carries: a ping and its answer every keep-alive interval (the relay
 * passes each to the other socket).
 */
export function floorPlan(
  url: string,
  from: number,
  to: number,
  pingEveryMs?: number,
): HoldPlan {
  const ws = url.replace("http", "ws");
  return [
    Array.from({ length: 2 * (to - from) }, (_, i) => ({
      url: `${ws}/?room=r${from + (i >> 1)}`,
      until: "open" as const,
      ...(pingEveryMs ? { pingEveryMs } : {}),
    })),
  ];
}

/**
 * Opens a few sockets to `url` (a WebSocket URL; `{room}` is numbered by
 * pairs), sends a ping on each, and closes them: the first sockets and
 * frames a server handles load what any socket needs (Deno's WebSocket
 * code pages, some 4 MB of RSS), which is not per participant. The floor
 * passes each ping to the other socket of the room; the clinic answers it.
 */
export async function warmUp(url: string, count = 10) {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url.replaceAll("{room}", String(i >> 1)));
          ws.onopen = () => resolve(ws);
          ws.onerror = () => reject(new Error(`cannot open ${url}`));
        }),
    ),
  );
  for (const ws of sockets) ws.send('{"type":"ping"}');
  await new Promise((r) => setTimeout(r, 200));
  await Promise.all(sockets.map((ws) =>
    new Promise<void>((resolve) => {
      ws.onclose = () => resolve();
      ws.close();
    })
  ));
}
