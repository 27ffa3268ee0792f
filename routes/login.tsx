import { z } from "zod";
import { knownDevice, rememberDevice } from "@/lib/auth/device_cookie.ts";
import { reserveLoginAttempt } from "@/lib/auth/login_limit.ts";
import { startLoginSession } from "@/lib/auth/login_sessions.ts";
import { verifyAgainstNothing, verifyPassword } from "@/lib/auth/password.ts";
import { sessionCookie } from "@/lib/auth/session_cookie.ts";
import {
  signInMessage,
  signInQuery,
  type SignInReason,
} from "@/lib/auth/return_to.ts";
import { define } from "@/lib/define.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import type { FieldErrors } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import type { AppState } from "@/lib/state.ts";
import type { RouteContext } from "@/lib/web/types.ts";
import { readForm } from "@/lib/http/input.ts";
import { audit } from "@/lib/store/audit.ts";
import { findDoctorByEmail } from "@/lib/store/doctors.ts";
import { Field, FormErrorSummary, Notice } from "@/lib/ui/form.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

const loginForm = z.object({
  email: z.email("Enter your email address").max(200),
  password: z.string().min(1, "Enter your password").max(200),
});

interface LoginData {
  email?: string;
  errors?: FieldErrors;
  signedOut?: boolean;
  /** Where a successful sign-in leads (a path on this site), and why it is asked. */
  next: string | null;
  reason?: SignInReason;
}

/** Where to go after signing in, and why sign-in was asked, from a query or form. */
function returnTo(fields: Record<string, string | undefined>) {
  const parsed = signInQuery.safeParse(fields);
  return parsed.success ? parsed.data : { next: null, reason: undefined };
}

export const handler = define.handlers({
  GET(ctx) {
    const { next, reason } = returnTo(Object.fromEntries(ctx.url.searchParams));
    if (ctx.state.doctor) return ctx.redirect(next ?? "/dashboard", 302);
    return page<LoginData>({
      signedOut: ctx.url.searchParams.has("signed-out"),
      next,
      reason,
    });
  },
  async POST(ctx) {
    const form = await readForm(ctx.req);
    const { next, reason } = returnTo(form);
    return submitForm(
      form,
      loginForm,
      (input) => signIn(ctx, input, next, reason),
      (errors, status) =>
        page<LoginData>({ email: form.email, errors, next, reason }, {
          status,
        }),
    );
  },
});

/**
 * Checks the password, unless tries from this address, for this account or
 * from this browser are being spaced out; every outcome is audited.
 */
async function signIn(
  ctx: RouteContext<AppState>,
  { email, password }: z.infer<typeof loginForm>,
  next: string | null,
  reason: SignInReason | undefined,
) {
  const again = { next, reason };
  const { kv, config } = ctx.state.clinic;
  const address = clientAddress(ctx.hono);
  const doctor = await findDoctorByEmail(kv, email);
  const device = await knownDevice(ctx.hono, config, kv, doctor?.id);
  const reservation = await reserveLoginAttempt(
    kv,
    { email, address, device },
    config.loginLimits,
  );
  if (!reservation.ok) {
    if (reservation.firstRefusal) {
      await audit(kv, {
        actor: { kind: "anonymous" },
        action: "signin.throttled",
        subject: doctor?.id ?? "unknown",
        detail: `by ${reservation.scope}`,
        address,
      });
    }
    const seconds = Math.ceil(reservation.retryAfterMs / 1000);
    return page<LoginData>({
      email,
      ...again,
      errors: {
        _: `Too many sign-in attempts. Wait ${
          waitWords(seconds)
        } and try again.`,
      },
    }, { status: 429, headers: { "Retry-After": String(seconds) } });
  }
  const ok = doctor
    ? await verifyPassword(password, doctor.passwordHash)
    : await verifyAgainstNothing(password);
  if (!doctor || !ok) {
    await audit(kv, {
      actor: { kind: "anonymous" },
      action: "signin.failed",
      subject: doctor?.id ?? "unknown",
      address,
    });
    return page<LoginData>({
      email,
      ...again,
      errors: { _: "That email and password do not match an account." },
    }, { status: 401 });
  }
  await reservation.release();
  if (!doctor.active) {
    await audit(kv, {
      actor: { kind: "anonymous" },
      action: "signin.failed",
      subject: doctor.id,
      detail: "account deactivated",
      address,
    });
    return page<LoginData>({
      email,
      ...again,
      errors: {
        _: "This account is deactivated. Ask the clinic's administrator.",
      },
    }, { status: 403 });
  }
  const id = await startLoginSession(kv, doctor.id, {
    idleMs: config.sessionIdleMs,
    maxMs: config.sessionMaxMs,
  });
  await audit(kv, {
    actor: { kind: "doctor", id: doctor.id },
    action: "signin.succeeded",
    subject: doctor.id,
    address,
  });
  // Back to the page that asked for the sign-in (a path on this site only).
  const headers = new Headers({ Location: next ?? "/dashboard" });
  headers.append("Set-Cookie", sessionCookie(config, id));
  if (!device) {
    headers.append("Set-Cookie", await rememberDevice(config, kv, doctor.id));
  }
  return new Response(null, { status: 303, headers });
}

/** "12 seconds", "3 minutes": how long to wait, in words. */
function waitWords(seconds: number) {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export default define.page<typeof handler>(({ data, state }) => {
  const { config } = state.clinic;
  const why = signInMessage(data.reason, data.next, {
    idleMs: config.sessionIdleMs,
    maxMs: config.sessionMaxMs,
  });
  return (
    <section class="panel narrow">
      <Head>
        <title>Sign in</title>
      </Head>
      <h1>Doctor sign-in</h1>
      {data.signedOut && <Notice>You are signed out.</Notice>}
      {why && !data.errors && (
        <div
          class="alert alert-info sign-in-reason"
          role="status"
          data-reason={data.reason ?? "required"}
        >
          {why}
        </div>
      )}
      <FormErrorSummary errors={data.errors} />
      <form method="post" action="/login" novalidate>
        {data.next && <input type="hidden" name="next" value={data.next} />}
        {data.reason && (
          <input type="hidden" name="reason" value={data.reason} />
        )}
        <Field
          name="email"
          label="Email"
          type="email"
          value={data.email}
          errors={data.errors}
          autocomplete="username"
          required
        />
        <Field
          name="password"
          label="Password"
          type="password"
          errors={data.errors}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="button">Sign in</button>
      </form>
    </section>
  );
});
