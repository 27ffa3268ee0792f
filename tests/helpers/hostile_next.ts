/**
 * `next` values that try to lead a sign-in off the site or into a header:
 * the sign-in page must ignore every one (and go to the dashboard).
 *
 * @module
 */
import { NEXT_MAX_LENGTH } from "@/lib/auth/return_to.ts";

/** Every way a `next` could lead off the site, or into a header. */
export const HOSTILE_NEXT = [
  "",
  "dashboard",
  "//evil.example",
  "//evil.example/dashboard",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/.//evil.example",
  "/./\\evil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " /dashboard",
  "/\t/evil.example",
  "/\n/evil.example",
  "/dashboard\r\nSet-Cookie: a=b",
  "/dashboard\u0000",
  "/dashboard\u007f",
  "/login",
  "/login?next=//evil.example",
  "/logout",
  "/" + "a".repeat(NEXT_MAX_LENGTH),
];
