/**
 * Text in the patient's language. Each area of the product keeps its text in
 * `lib/i18n/text/<area>.ts` as one catalogue with the same keys in every
 * language; placeholders are written `{name}` and filled here.
 *
 * @module
 */
import type { Language } from "./languages.ts";

export type Params = Record<string, string | number>;

/** One area's text: English first, and every other language with its keys. */
export type Catalogue<K extends string> = Record<Language, Record<K, string>>;

/** Declares a catalogue; its keys are English's. */
export function catalogue<K extends string>(
  texts: { en: Record<K, string> } & Record<Language, Record<K, string>>,
): Catalogue<K> {
  return texts;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * `{name}` in `template` replaced by `params.name`. A placeholder with no
 * value stays as it is, so a missing value shows rather than breaks a page.
 */
export function fill(template: string, params: Params = {}): string {
  return template.replace(
    PLACEHOLDER,
    (whole, name: string) => name in params ? String(params[name]) : whole,
  );
}

/** The placeholders a text uses, sorted, for checking catalogues. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();
}

export type Translate<K extends string> = (key: K, params?: Params) => string;

/** A function giving the catalogue's text in `language`. */
export function translator<K extends string>(
  texts: Catalogue<K>,
  language: Language,
): Translate<K> {
  const table = texts[language];
  return (key, params) => fill(table[key] ?? texts.en[key], params);
}
