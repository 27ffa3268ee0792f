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
  { stream, muted, label, className }: {
    stream: MediaStream | null;
    muted: boolean;
    label: string;
    className: string;
  },
) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) {
      ref.current.srcObject = stream;
      if (stream) ref.current.play().catch(() => {});
    }
  }, [stream]);
  return (
    <video
      ref={ref}
      class={className}
      aria-label={label}
      autoplay
      playsinline
      muted={muted}
    />
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
