import assert from "node:assert/strict";
import { LANGUAGES } from "./languages.ts";
import { catalogues } from "./text/index.ts";
import { fill, placeholders, translator } from "./translate.ts";

for (const [area, texts] of Object.entries(catalogues)) {
  Deno.test(`the ${area} text is complete in every language`, () => {
    const english = texts.en as Record<string, string>;
    const keys = Object.keys(english).sort();
    assert.ok(keys.length > 0);
    for (const language of LANGUAGES) {
      const table = texts[language] as Record<string, string>;
      assert.deepEqual(Object.keys(table).sort(), keys, `${area}.${language}`);
      for (const key of keys) {
        const text = table[key];
        assert.ok(
          typeof text === "string" && text.trim() !== "",
          `${area}.${language}.${key} is empty`,
        );
        assert.deepEqual(
          placeholders(text),
          placeholders(english[key]),
          `${area}.${language}.${key} has other placeholders than English`,
        );
        if (language !== "en" && /[a-z]{4}/i.test(english[key])) {
          assert.notEqual(
            text,
            english[key],
            `${area}.${language}.${key} is still English`,
          );
        }
      }
    }
  });
}

Deno.test("placeholders are filled, and a missing one shows as it is", () => {
  assert.equal(
    fill("Hello {name}, {n} left", { name: "Ana", n: 2 }),
    "Hello Ana, 2 left",
  );
  assert.equal(fill("Hello {name}"), "Hello {name}");
  const t = translator(catalogues.common, "es");
  assert.equal(t("phone", { phone: "+34 600" }), "Teléfono: +34 600");
});
