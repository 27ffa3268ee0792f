/**
 * Every Deno KV key the clinic uses, in one place. Indexes hold a copy of the
 * record they point to, so a page of a listing is one range read.
 *
 * @module
 */

export const keys = {
  doctor: (id: string) => ["doctors", id],
  doctors: () => ["doctors"],
  doctorByEmail: (email: string) => ["doctors_by_email", email],

  patients: () => ["patients"],
  patient: (id: string) => ["patients", id],
  patientsByDoctor: (doctorId: string) => ["patients_by_doctor", doctorId],
  patientByDoctor: (doctorId: string, id: string) => [
    "patients_by_doctor",
    doctorId,
    id,
  ],
  /** Made before patients belonged to a doctor; only removed now. */
  legacyPatientsByEmail: () => ["patients_by_email"],
  patientLink: (tokenHash: string) => ["patient_links", tokenHash],

  appointment: (id: string) => ["appointments", id],
  appointmentsByDoctor: (
    doctorId: string,
  ) => ["appointments_by_doctor", doctorId],
  appointmentByDoctor: (doctorId: string, startsAt: number, id: string) => [
    "appointments_by_doctor",
    doctorId,
    startsAt,
    id,
  ],
  appointmentsByPatient: (
    patientId: string,
  ) => ["appointments_by_patient", patientId],
  appointmentByPatient: (patientId: string, startsAt: number, id: string) => [
    "appointments_by_patient",
    patientId,
    startsAt,
    id,
  ],
  visitLink: (tokenHash: string) => ["visit_links", tokenHash],

  session: (id: string) => ["sessions", id],
  sessionsByDoctor: (doctorId: string) => ["sessions_by_doctor", doctorId],
  sessionByDoctor: (doctorId: string, openedAt: number, id: string) => [
    "sessions_by_doctor",
    doctorId,
    openedAt,
    id,
  ],
  sessionsByDoctorPatient: (doctorId: string, patientId: string) => [
    "sessions_by_doctor_patient",
    doctorId,
    patientId,
  ],
  sessionByDoctorPatient: (
    doctorId: string,
    patientId: string,
    openedAt: number,
    id: string,
  ) => ["sessions_by_doctor_patient", doctorId, patientId, openedAt, id],
  sessionsByPatient: (patientId: string) => ["sessions_by_patient", patientId],
  sessionByPatient: (patientId: string, openedAt: number, id: string) => [
    "sessions_by_patient",
    patientId,
    openedAt,
    id,
  ],
  sessionReport: (id: string) => ["session_reports", id],
  callQuality: (roomId: string, role: string) => ["call_quality", roomId, role],
  roomEnded: (roomId: string) => ["room_ended", roomId],
  roomMember: (roomId: string, role: string) => ["room_members", roomId, role],
  roomChat: (roomId: string) => ["room_chat", roomId],
  roomChatLine: (roomId: string, n: number) => ["room_chat", roomId, n],
  roomChatCount: (roomId: string) => ["room_chat_count", roomId],
  joinTicket: (tokenHash: string) => ["join_tickets", tokenHash],
  waitingRoom: (doctorId: string) => ["waiting_room", doctorId],
  /** The call relay over Deno KV: the last message's number, and the log. */
  relayHead: () => ["signal_relay", "head"],
  relayLog: () => ["signal_relay", "log"],
  relayLogPart: (seq: number, part: number) => [
    "signal_relay",
    "log",
    seq,
    part,
  ],
  waitingPatient: (doctorId: string, roomId: string) => [
    "waiting_room",
    doctorId,
    roomId,
  ],
  /** The patient's check-in for a visit: the name confirmed, the consent. */
  checkIn: (appointmentId: string) => ["check_ins", appointmentId],
  /** A consent text as a patient accepted it, by its SHA-256 (its version). */
  consentText: (version: string) => ["consent_texts", version],
  /** The doctor's latest note to a waiting patient, until the doctor joins. */
  waitingNote: (appointmentId: string) => ["waiting_notes", appointmentId],
  note: (sessionId: string) => ["notes", sessionId],
  noteVersions: (sessionId: string) => ["note_versions", sessionId],
  noteVersion: (sessionId: string, version: number) => [
    "note_versions",
    sessionId,
    version,
  ],
  audit: () => ["audit"],
  auditEntry: (at: number, id: string) => ["audit", at, id],

  loginSession: (idHash: string) => ["login_sessions", idHash],
  flash: (idHash: string) => ["flash", idHash],
  setupLink: () => ["setup_link"],
  /** A one-time change to stored records that has been applied. */
  migration: (name: string) => ["migrations", name],
  loginAttempts: (scope: string, subject: string) => [
    "login_attempts",
    scope,
    subject,
  ],
  knownDevice: (tokenHash: string) => ["known_devices", tokenHash],
  /** How often an action was taken on a record in its window (`action_limits.ts`). */
  actionCount: (action: string, subject: string) => [
    "action_counts",
    action,
    subject,
  ],

  /** A message to a patient or a doctor, and its place in the outbox. */
  mail: (id: string) => ["mail", id],
  /** The outbox by when a message is next due: the sweep reads it in order. */
  mailDue: () => ["mail_due"],
  mailDueAt: (at: number, id: string) => ["mail_due", at, id],
  mailByAppointment: (appointmentId: string) => [
    "mail_by_appointment",
    appointmentId,
  ],
  mailOfAppointment: (appointmentId: string, createdAt: number, id: string) => [
    "mail_by_appointment",
    appointmentId,
    createdAt,
    id,
  ],
  /**
   * The visit link in readable form, for the mail that carries it (see
   * docs/security.md): only for patients with an email, while mail is on.
   */
  mailVisitToken: (
    appointmentId: string,
  ) => ["mail_visit_tokens", appointmentId],
  /** Set once a visit's "patient waiting" notice is queued: it goes once. */
  mailWaitingNotice: (appointmentId: string) => [
    "mail_waiting_notices",
    appointmentId,
  ],
  /** Which server is sweeping the outbox now, and until when. */
  mailSweepLease: () => ["mail_sweep_lease"],
} satisfies Record<string, (...args: never[]) => Deno.KvKey>;
