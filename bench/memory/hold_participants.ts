/**
 * Holds call participants open, as its own process, so that the server's
 * memory is all the server's. Told on stdin `hold <plan.json>`, it opens
 * the plan's sockets in batches, sends each its join (if any), waits until
 * each is where the plan says (open, waiting for its peer, or with its
 * peer), and prints "held N" (all it holds so far); it answers every ping
 * meanwhile. Any other line is answered with one JSON line: pings answered
 * so far, and sockets the server closed or refused.
 *
 * Usage: deno run -A bench/memory/hold_participants.ts
 *
 * @module
 */

/** One socket: where it connects, what it sends first, when it is in. */
export interface Seat {
  url: string;
  join?: Record<string, unknown>;
  /** "open" for the floor; a message type the server sends once in. */
  until: "open" | "waiting-for-peer" | "peer-joined";
  /**
   * Pings sent by the holder this often (the floor has no keep-alive of its
   * own; its relay passes them to the other socket, which answers).
   */
  pingEveryMs?: number;
}

/** Phases run one after the other (patients wait, then doctors join). */
export type HoldPlan = Seat[][];

export interface HoldStatus {
  pings: number;
  closed: number;
  refused: string[];
}

/** Sockets opened at once: enough to be quick, few enough not to flood. */
const BATCH = 100;
/** A seat not in by then is a failure: the benchmark stops. */
const WAIT_MS = 30_000;

const status: HoldStatus = { pings: 0, closed: 0, refused: [] };
const sockets: WebSocket[] = [];
/** Sockets the holder pings, by how often, once all of a plan are in. */
const toPing = new Map<number, WebSocket[]>();
const pinging = new Set<number>();

/**
 * Pings the sockets waiting for it, at once and then every interval. Not
 * before every socket is in: a relay that passes a message to a socket not
 * yet open (the floor) would fail.
 */
function startPinging() {
  for (const [every, list] of toPing) {
    const send = () => {
      for (const s of list) {
        if (s.readyState === WebSocket.OPEN) s.send('{"type":"ping"}');
      }
    };
    send();
    if (!pinging.has(every)) setInterval(send, every);
    pinging.add(every);
  }
}

function take(seat: Seat): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(seat.url);
    sockets.push(ws);
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `not ${seat.until} after ${WAIT_MS} ms (${JSON.stringify(status)})`,
          ),
        ),
      WAIT_MS,
    );
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    ws.onopen = () => {
      if (seat.join) ws.send(JSON.stringify(seat.join));
      if (seat.pingEveryMs) {
        const list = toPing.get(seat.pingEveryMs) ?? [];
        toPing.set(seat.pingEveryMs, list.concat(ws));
      }
      if (seat.until === "open") done();
    };
    ws.onerror = () => reject(new Error(`cannot open ${seat.url}`));
    ws.onclose = () => status.closed++;
    ws.onmessage = (event) => {
      const text = String(event.data);
      if (text === '{"type":"ping"}') {
        status.pings++;
        ws.send('{"type":"pong"}');
        return;
      }
      if (seat.until === "open") return;
      const type = JSON.parse(text).type;
      if (type === "error") status.refused.push(JSON.parse(text).code);
      if (type === seat.until) done();
    };
  });
}

/** Takes the plan's seats, phase after phase, a batch at a time. */
async function takeAll(plan: HoldPlan) {
  for (const phase of plan) {
    for (let i = 0; i < phase.length; i += BATCH) {
      await Promise.all(phase.slice(i, i + BATCH).map(take));
    }
  }
}

if (import.meta.main) {
  let buffer = "";
  for await (
    const text of Deno.stdin.readable.pipeThrough(new TextDecoderStream())
  ) {
    buffer += text;
    let at;
    while ((at = buffer.indexOf("\n")) !== -1) {
      const [command, file] = buffer.slice(0, at).split(" ");
      buffer = buffer.slice(at + 1);
      if (command === "hold") {
        await takeAll(JSON.parse(await Deno.readTextFile(file)));
        startPinging();
        console.log(`held ${sockets.length}`);
      } else console.log(JSON.stringify(status));
    }
  }
}
