/**
 * The media elements of the call page: a video showing a stream, and the
 * microphone's level, which tells a person at the device check that they
 * are heard before they join.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export function Video(
  { stream, muted, label, className, startLabel }: {
    stream: MediaStream | null;
    muted: boolean;
    label: string;
    className: string;
    /**
     * For a video with sound: the words of a button shown when the browser
     * refuses to start it by itself, so that a tap starts it.
     */
    startLabel?: string;
  },
) {
  const ref = useRef<HTMLVideoElement>(null);
  const refused = useSignal(false);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== stream) {
      video.srcObject = stream;
      // Browsers let a page that uses the camera play sound without another
      // tap (the Join click was one); one that still refuses (an iPhone's
      // rules may) gets the button below instead of a silent, still video.
      if (stream) {
        video.play().then(
          () => (refused.value = false),
          (error) => (refused.value = error?.name === "NotAllowedError"),
        );
      }
    }
  }, [stream]);
  return (
    <>
      <video
        ref={ref}
        class={className}
        aria-label={label}
        autoplay
        playsinline
        muted={muted}
        // Started after all (by the browser's own autoplay, or a tap).
        onPlaying={() => (refused.value = false)}
      />
      {startLabel && refused.value && stream && (
        <button
          type="button"
          class="button big start-media"
          onClick={() =>
            ref.current?.play().then(() => (refused.value = false), () => {})}
        >
          {startLabel}
        </button>
      )}
    </>
  );
}

export function MicLevel(
  { stream, label }: { stream: MediaStream; label: string },
) {
  const level = useSignal(0);
  useEffect(() => {
    const AudioContextClass = globalThis.AudioContext;
    if (!AudioContextClass || stream.getAudioTracks().length === 0) return;
    const context = new AudioContextClass();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    let frame = 0;
    const measure = () => {
      analyser.getByteTimeDomainData(data);
      let sum = 0;
      for (const v of data) sum += (v - 128) ** 2;
      level.value = Math.min(1, Math.sqrt(sum / data.length) / 40);
      frame = requestAnimationFrame(measure);
    };
    measure();
    return () => {
      cancelAnimationFrame(frame);
      context.close();
    };
  }, [stream]);
  return (
    <meter
      class="mic-level"
      min={0}
      max={1}
      value={level.value}
      aria-label={label}
    />
  );
}
