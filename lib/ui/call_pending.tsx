/**
 * What the call page shows until the video call itself is available.
 *
 * @module
 */
export function CallPending({ back }: { back: string }) {
  return (
    <section class="panel narrow">
      <h1>The video call is being prepared</h1>
      <p>
        The call room for this visit is not open yet. Please keep this page's
        link and come back at the visit time.
      </p>
      <p>
        <a href={back}>Back</a>
      </p>
    </section>
  );
}
