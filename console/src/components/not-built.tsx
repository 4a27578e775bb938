/** A page whose content is still to come (see CONTRIBUTING-PAGES.md). */
export function NotBuilt({ title }: { title: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <p>This page is not built yet.</p>
    </section>
  );
}
