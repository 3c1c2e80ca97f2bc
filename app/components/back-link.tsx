import { Link } from "@remix-run/react";

/** The way back from a page to where its person works from (the dashboard, the workbench, a list):
 * one line at the top, the same on every page that has one. */
export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <p className="back-link">
      <Link to={to}>← {label}</Link>
    </p>
  );
}
