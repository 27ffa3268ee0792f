import assert from "node:assert/strict";
import {
  captureWithFallback,
  mediaConstraints,
  nextCamera,
} from "./devices.ts";

Deno.test("the first capture asks for the front camera in HD and any microphone", () => {
  assert.deepEqual(mediaConstraints({}), {
    audio: true,
    video: {
      facingMode: "user",
      width: { ideal: 1280 },
      height: { ideal: 720 },
    },
  });
});

Deno.test("a device picked in the check is asked for by its exact id", () => {
  assert.deepEqual(mediaConstraints({ audioId: "mic-2" }).audio, {
    deviceId: { exact: "mic-2" },
  });
  assert.deepEqual(mediaConstraints({ videoId: "cam-2" }).video, {
    deviceId: { exact: "cam-2" },
  });
});

Deno.test("switching cameras asks for the camera alone", () => {
  const constraints = mediaConstraints({ audioId: false, videoId: "cam-2" });
  assert.equal(constraints.audio, false);
  assert.deepEqual(constraints.video, { deviceId: { exact: "cam-2" } });
  const facing = mediaConstraints({ audioId: false, facing: "environment" });
  assert.equal(
    (facing.video as MediaTrackConstraints).facingMode,
    "environment",
  );
});

Deno.test("the next camera goes round the list", () => {
  const cameras = ["front", "back", "usb"].map((deviceId) =>
    ({ deviceId, kind: "videoinput" }) as MediaDeviceInfo
  );
  assert.equal(nextCamera(cameras, "front")?.deviceId, "back");
  assert.equal(nextCamera(cameras, "usb")?.deviceId, "front");
  assert.equal(nextCamera(cameras, "unknown")?.deviceId, "front");
  assert.equal(nextCamera([], "front"), undefined);
});

Deno.test("a refused or missing camera falls back to the microphone alone", async () => {
  const refused = new DOMException("no", "NotAllowedError");
  const asked: MediaStreamConstraints[] = [];
  const voice = { id: "voice" } as unknown as MediaStream;
  const capture = await captureWithFallback({ audioId: "mic-2" }, (c) => {
    asked.push(c);
    return c.video ? Promise.reject(refused) : Promise.resolve(voice);
  });
  assert.equal(capture.stream, voice);
  assert.equal(capture.cameraError, refused);
  assert.deepEqual(asked[1], {
    audio: { deviceId: { exact: "mic-2" } },
    video: false,
  });
});

Deno.test("a working camera needs no fallback; a failing microphone throws the first error", async () => {
  const both = { id: "both" } as unknown as MediaStream;
  const fine = await captureWithFallback({}, () => Promise.resolve(both));
  assert.deepEqual(fine, { stream: both, cameraError: null });
  const first = new DOMException("both blocked", "NotAllowedError");
  let calls = 0;
  await assert.rejects(
    captureWithFallback({}, () => {
      calls++;
      return Promise.reject(
        calls === 1 ? first : new DOMException("mic", "NotFoundError"),
      );
    }),
    (error) => error === first,
  );
  assert.equal(calls, 2);
  // Switching cameras asks for the camera alone: nothing to fall back to.
  await assert.rejects(
    captureWithFallback({ audioId: false }, () => Promise.reject(first)),
    (error) => error === first,
  );
});
