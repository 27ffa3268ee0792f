/**
 * Opens N WebSockets to a URL and holds them open, as its own process;
 * prints "open N" when all are open, then waits to be killed.
 *
 * Usage: deno run -A bench/signaling/hold_sockets.ts <count> <url with {i}>
 *
 * @module
 */
const count = Number(Deno.args[0]);
const template = Deno.args[1];
const sockets: WebSocket[] = [];
for (let i = 0; i < count; i += 250) {
  await Promise.all(
    Array.from(
      { length: Math.min(250, count - i) },
      (_, j) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(template.replaceAll("{i}", String(i + j)));
          ws.onopen = () => resolve();
          ws.onerror = () => reject(new Error("socket failed"));
          ws.onmessage = (event) => {
            if (String(event.data).includes('"ping"')) {
              ws.send('{"type":"pong"}');
            }
          };
          sockets.push(ws);
        }),
    ),
  );
}
console.log(`open ${sockets.length}`);
await new Promise(() => {});
