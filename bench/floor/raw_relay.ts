/**
 * The floor the benchmark measures the clinic against: a bare Deno server
 * that upgrades `/?room=<name>` to a WebSocket and forwards every message to
 * the other socket of that room, nothing else (no tickets, no checks, no
 * keep-alive). Any other request gets "ok". Prints "listening <port>".
 *
 * Usage: deno run --allow-net bench/floor/raw_relay.ts [port]
 *
 * @module
 */
const rooms = new Map<string, Set<WebSocket>>();
Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.args[0] ?? 0),
  onListen: ({ port }) => console.log(`listening ${port}`),
}, (request) => {
  const room = new URL(request.url).searchParams.get("room");
  if (room === null || request.headers.get("upgrade") !== "websocket") {
    return new Response("ok");
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  const peers = rooms.get(room) ?? new Set<WebSocket>();
  rooms.set(room, peers.add(socket));
  socket.onmessage = (event) => {
    for (const peer of peers) if (peer !== socket) peer.send(event.data);
  };
  socket.onclose = () => {
    peers.delete(socket);
    if (peers.size === 0) rooms.delete(room);
  };
  return response;
});
