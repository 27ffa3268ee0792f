/**
 * The clients of the held load, run as their own process: for every booked
 * visit a patient's and a doctor's socket join, negotiate as browsers do
 * (the doctor offers, the patient answers, both trickle candidates), then,
 * when told, hold the call: chat and quality reports every few seconds from
 * both sides, keep-alive pings answered. Every relayed message carries a
 * number so that its receiver can say which never came.
 *
 * Talks with the benchmark over stdin and stdout, one line at a time: it
 * prints "ready" once the calls are set up, holds on "hold" and prints
 * "held" at the end of the hold, ends the visits on "end" and prints its
 * result as one JSON line.
 *
 * Usage: deno run -A bench/load_held_clients.ts <plan.json>
 *
 * @module
 */
import type WebSocket from "ws";
import { lines, open, waitFor } from "./signaling/load.ts";
import type { BookedVisit } from "./signaling/plans.ts";

export interface HeldPlan {
  visits: BookedVisit[];
  holdMs: number;
  chatEveryMs: number;
  qualityEveryMs: number;
  /** ICE candidates each side trickles after the offer or answer. */
  candidates: number;
}

export interface HeldResult {
  /** Visits whose two sides joined and negotiated. */
  visits: number;
  /** Milliseconds from the first socket opened to every call set up. */
  setupMs: number;
  /** What went wrong, by kind ("error:rate_limited", "closed:1006", …). */
  errors: Record<string, number>;
  /** Relayed messages sent and received, by type. */
  sent: Record<string, number>;
  received: Record<string, number>;
  /** Per visit, what each side sent that the server keeps but does not relay. */
  kept: { id: string; quality: Record<Role, number>; chat: number }[];
}

type Role = "patient" | "doctor";
type Message = Record<string, unknown>;

/** Long enough for the slowest step under load; a step that takes longer failed. */
const STEP_MS = 30_000;
/** Sockets opened at once, so the server is not flooded by handshakes. */
const BATCH = 50;

const errors: Record<string, number> = {};
const sent: Record<string, number> = {};
const received: Record<string, number> = {};
const count = (tally: Record<string, number>, kind: string) =>
  tally[kind] = (tally[kind] ?? 0) + 1;

/** A fake SDP of a browser's size (about 3 KB), carrying its number. */
function sdp(kind: string, n: number): string {
  const lines = [
    "v=0",
    `o=- ${n} 2 IN IP4 127.0.0.1`,
    "s=-",
    "t=0 0",
    "a=group:BUNDLE 0 1",
    `a=x-bench:${kind}:${n}`,
  ];
  while (lines.join("\r\n").length < 3000) {
    lines.push(`a=rtpmap:${lines.length} opus/48000/2`);
  }
  return lines.join("\r\n") + "\r\n";
}

/** One participant's socket, its numbers, and what it heard from its peer. */
class Side {
  peer!: Side;
  #next = 0;
  /** Numbers heard from the peer, so a duplicate is not counted twice. */
  readonly heard = new Set<number>();
  quality = 0;
  chat = 0;
  /** Set before the server is expected to close the socket. */
  ending = false;
  timers: ReturnType<typeof setTimeout>[] = [];

  constructor(readonly role: Role, readonly ws: WebSocket) {
    ws.addEventListener("message", (event: { data: unknown }) => {
      this.#onMessage(JSON.parse(String(event.data)));
    });
    ws.addEventListener("error", () => count(errors, "socket error"));
    ws.addEventListener("close", (event: { code: number }) => {
      if (!this.ending) count(errors, `closed:${event.code}`);
    });
  }

  #onMessage(m: Message) {
    switch (m.type) {
      case "ping":
        return this.ws.send('{"type":"pong"}');
      case "error":
        return void count(errors, `error:${m.code}`);
      case "resync":
      case "peer-left":
        return void count(errors, String(m.type));
      case "offer":
      case "answer":
        this.#heard(
          String(m.type),
          Number(/a=x-bench:\w+:(\d+)/.exec(String(m.sdp))?.[1]),
        );
        // The polite patient answers the doctor's offer, then trickles.
        if (m.type === "offer") {
          this.signal({ type: "answer", sdp: sdp("answer", this.#number()) });
          this.trickle();
        }
        return;
      case "ice-candidate": {
        const candidate = m.candidate as { candidate: string } | null;
        if (candidate === null) {
          return void count(received, "end-of-candidates");
        }
        return this.#heard(
          "ice-candidate",
          Number(/^candidate:(\d+) /.exec(candidate.candidate)?.[1]),
        );
      }
      case "chat":
        return this.#heard(
          "chat",
          Number(/^line (\d+)/.exec(String(m.text))?.[1]),
        );
    }
  }

  #heard(type: string, n: number) {
    if (Number.isNaN(n)) return void count(errors, `unnumbered ${type}`);
    if (this.heard.has(n)) return void count(errors, `duplicate ${type}`);
    this.heard.add(n);
    count(received, type);
  }

  #number() {
    return this.#next++;
  }

  send(message: Message) {
    this.ws.send(JSON.stringify(message));
  }

  /** A message the peer must receive, counted as sent. */
  signal(message: Message) {
    count(sent, String(message.type));
    this.send(message);
  }

  trickle() {
    for (let i = 0; i < plan.candidates; i++) {
      const n = this.#number();
      this.signal({
        type: "ice-candidate",
        candidate: {
          candidate: `candidate:${n} 1 udp 2122260223 127.0.0.1 ${
            50000 + i
          } typ host`,
          sdpMid: "0",
          sdpMLineIndex: 0,
          usernameFragment: "bench",
        },
      });
    }
    count(sent, "end-of-candidates");
    this.send({ type: "ice-candidate", candidate: null });
  }

  offer() {
    this.signal({ type: "offer", sdp: sdp("offer", this.#number()) });
    this.trickle();
  }

  sendChat() {
    this.chat++;
    this.signal({
      type: "chat",
      text: `line ${this.#number()} from the ${this.role}: how are you today?`,
    });
  }

  sendQuality() {
    this.quality++;
    this.send({
      type: "quality",
      rttMs: 20 + Math.random() * 10,
      lossPercent: Math.random(),
      jitterMs: 3 + Math.random() * 3,
      bitrateKbps: 1200 + Math.random() * 300,
      relayed: false,
      rating: "good",
    });
  }
}

/** `promise`, or `null` if it takes longer than `ms` (counted as `what`). */
async function within<T>(promise: Promise<T>, what: string, ms = STEP_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) =>
    timer = setTimeout(() => resolve(null), Math.max(0, ms))
  );
  const result = await Promise.race([promise, late]);
  clearTimeout(timer);
  if (result === null) count(errors, `timeout: ${what}`);
  return result;
}

interface Call {
  id: string;
  patient: Side;
  doctor: Side;
}

/** Both sides of a visit, joined; `null` (counted) if a join failed. */
async function joinVisit(visit: BookedVisit): Promise<Call | null> {
  try {
    const patient = new Side("patient", await open(visit.patient.url));
    const waiting = waitFor(patient.ws, (m) => m.type === "waiting-for-peer");
    patient.send(visit.patient.join!);
    if (!await within(waiting, "waiting-for-peer")) return null;
    const doctor = new Side("doctor", await open(visit.doctor.url));
    patient.peer = doctor;
    doctor.peer = patient;
    const met = Promise.all([
      waitFor(patient.ws, (m) => m.type === "peer-joined"),
      waitFor(doctor.ws, (m) => m.type === "peer-joined"),
    ]);
    doctor.send(visit.doctor.join!);
    if (!await within(met, "peer-joined")) return null;
    // The impolite doctor makes the first offer.
    doctor.offer();
    return { id: visit.id, patient, doctor };
  } catch (error) {
    count(errors, `join: ${(error as Error).message}`);
    return null;
  }
}

/** Waits until every relayed message sent so far has arrived, or STEP_MS. */
async function settled() {
  const total = (t: Record<string, number>) =>
    Object.values(t).reduce((a, b) => a + b, 0);
  const end = performance.now() + STEP_MS;
  while (total(received) < total(sent) && performance.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Chat and quality from every side, each on its own beat, for `holdMs`. */
async function hold(sides: Side[]) {
  for (const side of sides) {
    // Spread the sides' beats over the interval, as real calls are.
    side.timers.push(setTimeout(() => {
      side.sendChat();
      side.timers.push(setInterval(() => side.sendChat(), plan.chatEveryMs));
    }, Math.random() * plan.chatEveryMs));
    side.timers.push(setTimeout(() => {
      side.sendQuality();
      side.timers.push(
        setInterval(() => side.sendQuality(), plan.qualityEveryMs),
      );
    }, Math.random() * plan.qualityEveryMs));
  }
  await new Promise((r) => setTimeout(r, plan.holdMs));
  for (const side of sides) {
    for (const timer of side.timers) clearTimeout(timer);
  }
}

/**
 * Every side's messages handled (a socket's messages are handled in
 * order, so its pong comes after them), then the doctors end the visits;
 * all of it within STEP_MS.
 */
async function end(calls: Call[]) {
  const deadline = performance.now() + STEP_MS;
  const sides = calls.flatMap((call) => [call.patient, call.doctor]);
  await Promise.all(sides.map((side) => {
    const pong = waitFor(side.ws, (m) => m.type === "pong");
    side.send({ type: "ping" });
    return within(pong, "pong", deadline - performance.now());
  }));
  await Promise.all(calls.map(({ patient, doctor }) => {
    patient.ending = doctor.ending = true;
    const ended = Promise.all(
      [patient, doctor].map((side) =>
        waitFor(side.ws, (m) => m.type === "session-ended")
      ),
    );
    doctor.send({ type: "end-session" });
    return within(ended, "session-ended", deadline - performance.now());
  }));
}

let plan: HeldPlan;

if (import.meta.main) {
  plan = JSON.parse(await Deno.readTextFile(Deno.args[0]));
  const commands = lines(Deno.stdin.readable);
  const started = performance.now();
  const calls: Call[] = [];
  for (let i = 0; i < plan.visits.length; i += BATCH) {
    const joined = await Promise.all(
      plan.visits.slice(i, i + BATCH).map(joinVisit),
    );
    for (const call of joined) if (call) calls.push(call);
  }
  await settled();
  // Once connected, both say hello and report: the server has taken a
  // chat line and a quality report before the hold is measured.
  for (const { patient, doctor } of calls) {
    for (const side of [patient, doctor]) {
      side.sendChat();
      side.sendQuality();
    }
  }
  await settled();
  const setupMs = performance.now() - started;
  console.log("ready");
  if ((await commands.next()).value !== "hold") throw new Error("no hold");
  await hold(calls.flatMap((c) => [c.patient, c.doctor]));
  console.log("held");
  if ((await commands.next()).value !== "end") throw new Error("no end");
  await settled();
  await end(calls);
  const result: HeldResult = {
    visits: calls.length,
    setupMs,
    errors,
    sent,
    received,
    kept: calls.map(({ id, patient, doctor }) => ({
      id,
      quality: { patient: patient.quality, doctor: doctor.quality },
      chat: patient.chat + doctor.chat,
    })),
  };
  console.log(JSON.stringify(result));
  Deno.exit(0);
}
