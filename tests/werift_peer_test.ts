/**
 * An independent WebRTC peer, not a browser: two werift peer connections
 * use the protocol through the real server (tickets, join-room, offer,
 * answer, trickled ice-candidate) to open a data channel and talk over it.
 * The doctor, the impolite peer, makes the offer when both are present.
 */
import assert from "node:assert/strict";
import {
  RTCIceCandidate,
  RTCPeerConnection,
  RTCSessionDescription,
} from "werift";
import { startServer } from "./helpers/server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  type SignalClient,
} from "./helpers/signal_client.ts";

/** Wires a werift peer to its signaling socket, as the protocol says. */
function connect(pc: RTCPeerConnection, socket: SignalClient) {
  pc.onIceCandidate.subscribe((candidate) => {
    socket.send({
      type: "ice-candidate",
      candidate: candidate
        ? {
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid ?? null,
          sdpMLineIndex: candidate.sdpMLineIndex ?? null,
        }
        : null,
    });
  });
  const previous = socket.ws.onmessage;
  socket.ws.onmessage = async (event) => {
    const message = JSON.parse(String(event.data));
    if (message.type === "offer") {
      await pc.setRemoteDescription(
        new RTCSessionDescription(message.sdp, "offer"),
      );
      await pc.setLocalDescription(await pc.createAnswer());
      socket.send({ type: "answer", sdp: pc.localDescription!.sdp });
    } else if (message.type === "answer") {
      await pc.setRemoteDescription(
        new RTCSessionDescription(message.sdp, "answer"),
      );
    } else if (message.type === "ice-candidate") {
      if (message.candidate) {
        await pc.addIceCandidate(new RTCIceCandidate(message.candidate));
      }
    } else {
      previous?.call(socket.ws, event);
    }
  };
}

Deno.test("two werift peers connect a data channel through the server", async () => {
  const server = await startServer();
  const doctorPc = new RTCPeerConnection({});
  const patientPc = new RTCPeerConnection({});
  try {
    const visit = await openVisitNow(server);
    const patient = await join(await patientTicket(visit));
    await patient.next("joined");
    await patient.next("waiting-for-peer");
    const doctor = await join(await doctorTicket(visit));
    assert.equal((await doctor.next("joined")).polite, false);
    await doctor.next("peer-joined");
    await patient.next("peer-joined");
    connect(doctorPc, doctor);
    connect(patientPc, patient);

    const patientHeard = new Promise<string>((resolve) => {
      patientPc.onDataChannel.subscribe((channel) => {
        channel.onMessage.subscribe((data) => {
          resolve(data.toString());
          channel.send("hello doctor");
        });
      });
    });
    const channel = doctorPc.createDataChannel("visit");
    const doctorHeard = new Promise<string>((resolve) => {
      channel.onMessage.subscribe((data) => resolve(data.toString()));
    });
    channel.stateChanged.subscribe((state) => {
      if (state === "open") channel.send("hello patient");
    });
    await doctorPc.setLocalDescription(await doctorPc.createOffer());
    doctor.send({ type: "offer", sdp: doctorPc.localDescription!.sdp });

    const deadline = new Promise<never>((_, reject) => {
      const timer = setTimeout(
        () => reject(new Error("no data channel in 20 s")),
        20_000,
      );
      Promise.all([patientHeard, doctorHeard]).finally(() =>
        clearTimeout(timer)
      );
    });
    const [toPatient, toDoctor] = await Promise.race([
      Promise.all([patientHeard, doctorHeard]),
      deadline,
    ]);
    assert.equal(toPatient, "hello patient");
    assert.equal(toDoctor, "hello doctor");
    assert.equal(doctorPc.connectionState, "connected");
    await patient.close();
    await doctor.close();
  } finally {
    await doctorPc.close();
    await patientPc.close();
    await server.close();
  }
});
