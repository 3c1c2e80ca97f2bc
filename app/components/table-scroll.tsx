import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways inside its own box on a narrow screen, so the page itself never
 * does. The box is a focus stop (a keyboard user scrolls it with the arrow keys) and a region named
 * by the table's caption, so what the focus landed on is announced.
 */
export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="table-scroll" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}
