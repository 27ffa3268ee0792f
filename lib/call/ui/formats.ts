/**
 * How the call page writes a person's initials (what stands in for their
 * video when the camera is off), the time in the visit and a chat line's
 * time.
 *
 * @module
 */

/** Titles that are not part of the name: "Dr Ada Lovelace" is "AL". */
const TITLES = /^(dr|dra|drs|mr|mrs|ms|mx|prof|sr|sra|srta)\.?$/i;

/** Up to two initials: the first and last words of the name, titles left out. */
export function initials(name: string): string {
  const words = name.split(",")[0].trim().split(/\s+/)
    .filter((w) => w && !TITLES.test(w) && /\p{L}/u.test(w));
  if (words.length === 0) return "";
  const first = [...words[0]].find((c) => /\p{L}/u.test(c)) ?? "";
  const last = words.length > 1
    ? [...words.at(-1)!].find((c) => /\p{L}/u.test(c)) ?? ""
    : "";
  return (first + last).toLocaleUpperCase();
}

/** Elapsed time as mm:ss, or h:mm:ss past an hour. */
export function elapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** A chat line's time, hours and minutes on the device's clock, in `language`. */
export function chatTime(at: string, language: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(language, {
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}
