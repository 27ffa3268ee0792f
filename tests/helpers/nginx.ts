/**
 * A real nginx from Debian in front of several app processes, as a clinic
 * runs them behind a load balancer: round robin, no sticky sessions, a
 * server that refuses connections taken out for a while and the request
 * tried on the next one, WebSocket upgrades passed through on
 * `/api/signal`. The configuration is the plain one `docs/deploy.md`
 * recommends, written to a temp folder with everything nginx writes (pid,
 * error log, temp files) in it. Without nginx the tests are skipped with a
 * loud message locally, and fail in CI.
 *
 * @module
 */
import { freePort, listening } from "./ports.ts";

const NGINX = Deno.env.get("NGINX_PATH") ?? "/usr/sbin/nginx";

export function hasNginx(): boolean {
  try {
    return Deno.statSync(NGINX).isFile;
  } catch {
    return false;
  }
}

const inCI = Deno.env.get("CI") === "true";
/** Tests that need nginx are skipped without it, except in CI. */
export const NO_NGINX = !hasNginx() && !inCI;
if (NO_NGINX) {
  console.warn(
    "\n!!! nginx tests SKIPPED: no nginx found (set NGINX_PATH, or apt-get install nginx).\n",
  );
}

export interface Nginx {
  url: string;
  port: number;
  /** Everything nginx logged at `warn` and above so far. */
  errorLog(): Promise<string>;
  close(): Promise<void>;
}

/** The configuration for `upstreams` (`http://127.0.0.1:port`), in `dir`. */
export function nginxConfig(
  dir: string,
  port: number,
  upstreams: string[],
): string {
  const servers = upstreams.map((url) =>
    `    server ${new URL(url).host} max_fails=1 fail_timeout=10s;`
  ).join("\n");
  return `# One process, in the foreground, so that its PID is the whole of nginx.
master_process off;
${Deno.uid() === 0 ? "user root;\n" : ""}pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;

events {
  worker_connections 512;
}

http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # Every app server; any of them can serve any request (the call state is
  # in Deno KV and the relay), so there are no sticky sessions. A server
  # that fails once is left out for 10 s.
  upstream clinic {
${servers}
  }

  server {
    listen 127.0.0.1:${port};

    # A dead server refuses connections (error) or never answers (timeout):
    # the request goes to the next server instead of failing.
    proxy_next_upstream error timeout http_502;
    proxy_connect_timeout 1s;

    location / {
      proxy_pass http://clinic;
      proxy_set_header Host $host;
      # The client's address, for sign-in throttling and the per-address
      # socket cap (the app reads it with TRUSTED_PROXIES set to nginx).
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }

    # The call's WebSocket. proxy_set_header here replaces the list above
    # (nginx does not merge them), so Host and X-Forwarded-For are repeated.
    location /api/signal {
      proxy_pass http://clinic;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # Longer than the app's keep-alive pings, so a quiet call is not cut.
      proxy_read_timeout 75s;
    }
  }
}
`;
}

/** nginx on 127.0.0.1 (on `port`, or a free one) in front of `upstreams`. */
export async function startNginx(
  upstreams: string[],
  port = freePort(),
): Promise<Nginx> {
  if (!hasNginx()) throw new Error("nginx is required in CI; install nginx");
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    nginxConfig(dir, port, upstreams),
  );
  const child = new Deno.Command(NGINX, {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-g", "daemon off;"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let printed = "";
  const reading = (async () => {
    for await (
      const text of child.stderr.pipeThrough(new TextDecoderStream())
    ) {
      printed += text;
    }
  })();
  let ended = false;
  const status = reading.then(() => child.status).finally(() => ended = true);
  const errorLog = () => Deno.readTextFile(`${dir}/error.log`).catch(() => "");
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // gone meanwhile
      }
    }, 5000);
    await status;
    clearTimeout(timer);
    await Deno.remove(dir, { recursive: true });
  };
  for (let i = 0; i < 100 && !ended && !(await listening(port)); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (ended || !(await listening(port))) {
    const log = await errorLog();
    await close();
    throw new Error(`nginx did not start:\n${printed}\n${log}`);
  }
  return { url: `http://127.0.0.1:${port}`, port, errorLog, close };
}
