/**
 * Every call socket is bounded: one that does not join is closed, one
 * address and the whole server may open only so many, binary and oversize
 * frames close the socket after one error (a visit's chat cap is in
 * chat_limits_test.ts).
 */
import assert from "node:assert/strict";
import { CLOSE } from "@/lib/protocol/messages.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  join,
  openVisitNow,
  patientTicket,
  SignalClient,
} from "./helpers/signal_client.ts";

const signalUrl = (server: TestServer) =>
  server.url.replace("http", "ws") + "/api/signal";

/** The status line's code of a WebSocket handshake sent by hand. */
async function handshakeStatus(
  server: TestServer,
  headers = "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
): Promise<number> {
  const port = Number(new URL(server.url).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET /api/signal HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}\r\n`,
      ),
    );
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    const head = new TextDecoder().decode(buffer.slice(0, n ?? 0));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}

/** The socket's close, or a failure if it stays open (a test never hangs). */
function closedSoon(client: SignalClient) {
  return Promise.race([
    client.closed,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("the socket stayed open")), 10_000)
    ),
  ]);
}

/** Opens sockets until one is refused; answers the open ones. */
async function openUntilRefused(server: TestServer, most: number) {
  const open: SignalClient[] = [];
  for (let i = 0; i < most; i++) {
    try {
      open.push(await SignalClient.open(signalUrl(server)));
    } catch {
      return { open, refusedAt: i };
    }
  }
  return { open, refusedAt: -1 };
}

/** Tries until the server has taken the closed socket's place back. */
async function eventuallyOpens(server: TestServer): Promise<SignalClient> {
  for (let i = 0; i < 50; i++) {
    try {
      return await SignalClient.open(signalUrl(server));
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error("no place came free");
}

Deno.test("a socket that does not join is closed, whatever pings it answers", async () => {
  const server = await startServer({
    SIGNALING_JOIN_SECONDS: "0.3",
    SIGNALING_KEEPALIVE_SECONDS: "0.05",
  });
  try {
    const idle = await SignalClient.open(signalUrl(server));
    assert.ok(idle.answerPings);
    const closed = await closedSoon(idle);
    assert.equal(closed.code, CLOSE.timeout);
    assert.equal((await idle.next("error")).code, "join_timeout");

    // A joined socket outlives the deadline.
    const visit = await openVisitNow(server);
    const patient = await join(await patientTicket(visit));
    await patient.next("joined");
    const pings = await new Promise<number>((resolve) => {
      let seen = 0;
      patient.ws.addEventListener("message", (e) => {
        if (JSON.parse(String(e.data)).type === "ping" && ++seen === 12) {
          resolve(seen);
        }
      });
    });
    assert.equal(pings, 12, "12 keep-alive rounds (0.6 s) later");
    assert.equal(patient.ws.readyState, WebSocket.OPEN);
    await patient.close();
  } finally {
    await server.close();
  }
});

Deno.test("one address may open only so many call sockets", async () => {
  const server = await startServer({ SIGNALING_MAX_SOCKETS_PER_ADDRESS: "3" });
  try {
    const { open, refusedAt } = await openUntilRefused(server, 10);
    assert.equal(refusedAt, 3);
    assert.equal(await handshakeStatus(server), 429);
    await open[0].close();
    const again = await eventuallyOpens(server);
    assert.equal(await handshakeStatus(server), 429, "full again");
    for (const socket of [...open.slice(1), again]) await socket.close();
  } finally {
    await server.close();
  }
});

/**
 * A raw WebSocket that never answers the server's close frame; resolves once
 * the server has sent that frame (the app has closed its side).
 */
async function unansweringSocket(server: TestServer) {
  const port = Number(new URL(server.url).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(
    `GET /api/signal HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
  ));
  let bytes = new Uint8Array(0);
  const buffer = new Uint8Array(4096);
  const closeSent = (async () => {
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) return false;
      bytes = new Uint8Array([...bytes, ...buffer.subarray(0, n)]);
      // Skip the HTTP head, then walk the server's (unmasked, short) frames.
      let at = new TextDecoder("latin1").decode(bytes).indexOf("\r\n\r\n");
      if (at === -1) continue;
      at += 4;
      while (at + 2 <= bytes.length) {
        if ((bytes[at] & 0x0f) === 0x8) return true;
        at += 2 + (bytes[at + 1] & 0x7f);
      }
    }
  })();
  return { conn, closeSent };
}

Deno.test("a socket the server closed counts until its connection is gone", async () => {
  const server = await startServer({
    SIGNALING_JOIN_SECONDS: "0.2",
    SIGNALING_MAX_SOCKETS_PER_ADDRESS: "3",
  });
  const sockets = [];
  try {
    for (let i = 0; i < 3; i++) sockets.push(await unansweringSocket(server));
    // The join deadline passes: the app closes all three; none answers.
    for (const s of sockets) assert.equal(await s.closeSent, true);
    assert.equal(
      await handshakeStatus(server),
      429,
      "their connections are still open, so they still count",
    );
    for (const s of sockets) s.conn.close();
    await eventuallyOpens(server).then((s) => s.close());
  } finally {
    await server.close();
  }
});

Deno.test("the server holds only so many call sockets in all", async () => {
  const server = await startServer({
    SIGNALING_MAX_SOCKETS_PER_ADDRESS: "100",
    SIGNALING_MAX_SOCKETS: "2",
  });
  try {
    const { open, refusedAt } = await openUntilRefused(server, 10);
    assert.equal(refusedAt, 2);
    assert.equal(await handshakeStatus(server), 503);
    // An incomplete handshake is refused and gives its place back.
    await open[0].close();
    await eventuallyOpens(server).then((s) => s.close());
    for (let i = 0; i < 5; i++) {
      assert.equal(
        await handshakeStatus(server, "Upgrade: websocket\r\n"),
        400,
      );
    }
    const last = await eventuallyOpens(server);
    assert.equal(server.clinic.signaling.sockets.total, 2);
    await last.close();
    await open[1].close();
  } finally {
    await server.close();
  }
});

Deno.test("binary and oversize frames close the socket after one error", async () => {
  const server = await startServer();
  try {
    const flooder = await SignalClient.open(signalUrl(server));
    const frame = new Uint8Array(16);
    for (let i = 0; i < 5000 && flooder.ws.readyState === WebSocket.OPEN; i++) {
      flooder.ws.send(frame);
    }
    const closed = await closedSoon(flooder);
    assert.equal(closed.code, CLOSE.unsupported);
    const errors = flooder.received.filter((m) => m.type === "error");
    assert.deepEqual(errors.map((m) => m.code), ["binary_frame"]);

    const large = await SignalClient.open(signalUrl(server));
    large.send(JSON.stringify({ type: "chat", text: "x".repeat(70_000) }));
    assert.equal((await closedSoon(large)).code, CLOSE.tooLarge);
    assert.ok(large.received.filter((m) => m.type === "error").length <= 1);
  } finally {
    await server.close();
  }
});
