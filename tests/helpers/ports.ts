/**
 * A TCP port free on 127.0.0.1 now, for a server a test or benchmark starts
 * as its own process (coturn listens on both TCP and UDP there).
 *
 * @module
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Whether something accepts connections on the port now. */
export async function listening(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}
