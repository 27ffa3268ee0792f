/**
 * How people are named to patients.
 *
 * @module
 */

/** A doctor as patients see them. */
export interface DoctorShown {
  name: string;
  /** The doctor's title or role, as they wrote it ("Family physician"). */
  title?: string;
}

/**
 * "Dr. Ana Ruiz, Family physician", or the name alone. The comma reads the
 * same way in English and Spanish ("Dra. Ana Ruiz, Médica de familia"), and
 * the doctor writes both parts in the words they want patients to see.
 */
export function doctorLabel(doctor: DoctorShown): string {
  const name = doctor.name.trim();
  const title = doctor.title?.trim();
  return title ? `${name}, ${title}` : name;
}
