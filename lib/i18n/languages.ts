/**
 * The languages patients can be served in. Adding one means adding its
 * text to every catalogue in `lib/i18n/text/` (a test checks that).
 *
 * @module
 */

export const LANGUAGES = ["en", "es"] as const;
export type Language = typeof LANGUAGES[number];

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  es: "Español",
};

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}
