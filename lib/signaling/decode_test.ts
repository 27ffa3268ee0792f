import assert from "node:assert/strict";
import { CLOSE, MAX_SDP } from "@/lib/protocol/messages.ts";
import { clientMessage } from "@/lib/protocol/schema.ts";
import { type Decoded, decodeFrame, MAX_MESSAGE_BYTES } from "./decode.ts";

const ROOM = "a".repeat(32);
const TICKET = "T".repeat(43);

function code(decoded: Decoded) {
  return decoded.kind === "message" ? "message" : decoded.code;
}

Deno.test("decode: a valid message comes back parsed, with its text as sent", () => {
  const text = `{"type":"join-room","roomId":"${ROOM}","ticket":"${TICKET}"} `;
  const decoded = decodeFrame(text);
  assert.deepEqual(decoded, {
    kind: "message",
    message: { type: "join-room", roomId: ROOM, ticket: TICKET },
    text,
  });
});

Deno.test("decode: a chat's text is trimmed; the frame's text is not", () => {
  const decoded = decodeFrame(`{"type":"chat","text":"  hello  "}`);
  assert.equal(decoded.kind, "message");
  if (decoded.kind === "message") {
    assert.deepEqual(decoded.message, { type: "chat", text: "hello" });
  }
});

Deno.test("decode: binary frames are refused, too large ones as too large", () => {
  assert.deepEqual(decodeFrame(new ArrayBuffer(10)), {
    kind: "refused",
    code: "binary_frame",
    close: CLOSE.unsupported,
  });
  assert.deepEqual(decodeFrame(new Blob(["x"])), {
    kind: "refused",
    code: "binary_frame",
    close: CLOSE.unsupported,
  });
  const tooLarge = {
    kind: "refused",
    code: "too_large",
    close: CLOSE.tooLarge,
  };
  assert.deepEqual(
    decodeFrame(new ArrayBuffer(MAX_MESSAGE_BYTES + 1)),
    tooLarge,
  );
  assert.deepEqual(
    decodeFrame(new Blob([new Uint8Array(MAX_MESSAGE_BYTES + 1)])),
    tooLarge,
  );
  assert.equal(
    code(decodeFrame(new ArrayBuffer(MAX_MESSAGE_BYTES))),
    "binary_frame",
  );
});

Deno.test("decode: text over the limit is refused before it is parsed", () => {
  const padding = " ".repeat(MAX_MESSAGE_BYTES);
  assert.deepEqual(decodeFrame(`{"type":"ping"}${padding}`), {
    kind: "refused",
    code: "too_large",
    close: CLOSE.tooLarge,
  });
  const atLimit = `{"type":"ping"}`.padEnd(MAX_MESSAGE_BYTES);
  assert.equal(code(decodeFrame(atLimit)), "message");
});

Deno.test("decode: what is not JSON, or not a type this protocol has, is invalid", () => {
  for (const text of ["", "{", "ping", "{'type':'ping'}"]) {
    assert.deepEqual(decodeFrame(text), {
      kind: "invalid",
      code: "invalid_json",
    }, text);
  }
  for (
    const text of [
      "null",
      "42",
      `"ping"`,
      "[]",
      `["ping"]`,
      "{}",
      `{"type":1}`,
      `{"type":"joined"}`,
      `{"type":"__proto__"}`,
      `{"type":"PING"}`,
    ]
  ) {
    assert.deepEqual(decodeFrame(text), {
      kind: "invalid",
      code: "unknown_type",
    }, text);
  }
});

Deno.test("decode: a known type with bad fields says which field", () => {
  assert.deepEqual(
    decodeFrame(`{"type":"join-room","roomId":"x","ticket":"${TICKET}"}`),
    {
      kind: "invalid",
      code: "invalid_message",
      detail: "roomId: roomId is 32 hex digits",
    },
  );
  const extra = decodeFrame(`{"type":"ping","extra":true}`);
  assert.equal(code(extra), "invalid_message");
  assert.ok(extra.kind === "invalid" && extra.detail?.startsWith("message: "));
  const empty = decodeFrame(`{"type":"chat","text":"   "}`);
  assert.ok(
    empty.kind === "invalid" && empty.detail === "text: chat text is empty",
  );
});

Deno.test("decode: offers and answers get the schema's own answer, right or wrong", () => {
  const sdps: unknown[] = [
    "v=0",
    "x",
    "",
    " ",
    "x".repeat(MAX_SDP),
    "x".repeat(MAX_SDP + 1),
    "é".repeat(MAX_SDP),
    null,
    42,
    true,
    ["v=0"],
    { sdp: "v=0" },
  ];
  const frames: string[] = [];
  for (const type of ["offer", "answer"]) {
    for (const sdp of sdps) {
      frames.push(JSON.stringify({ type, sdp }), JSON.stringify({ sdp, type }));
      frames.push(JSON.stringify({ type, sdp, from: "doctor" }));
    }
    frames.push(
      JSON.stringify({ type }),
      `{"type":"${type}","sdp":"v=0","__proto__":{}}`,
      `{"type":"${type}","__proto__":{"sdp":"v=0"}}`,
      `{"type":"${type}","sdp":"a","sdp":"b"}`,
      `{"type":"${type}","sdp":"v=0","type":"${type}"}`,
      `{"type":"${type}","sdp":"v=0\\u0000"}`,
    );
  }
  for (const text of frames) {
    const parsed = clientMessage.safeParse(JSON.parse(text));
    const decoded = decodeFrame(text);
    if (parsed.success) {
      assert.equal(decoded.kind, "message", text);
      if (decoded.kind === "message") {
        assert.deepEqual({ ...decoded.message }, parsed.data, text);
      }
    } else {
      assert.equal(code(decoded), "invalid_message", text);
    }
  }
});
