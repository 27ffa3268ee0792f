import assert from "node:assert/strict";
import { mediaConstraints, nextCamera } from "./devices.ts";

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
