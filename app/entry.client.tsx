import { RemixBrowser } from "@remix-run/react";
import { StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

// Hydrated in one go rather than inside startTransition: a transition lets React pause hydration
// between components, and keys pressed in that pause (seen in the keyboard tests) made React 18.3
// abandon the root ("Root did not complete", error #345). Our pages hydrate in tens of
// milliseconds, and the server-rendered page is readable meanwhile, so nothing is lost by not
// yielding.
hydrateRoot(
  document,
  <StrictMode>
    <RemixBrowser />
  </StrictMode>,
);
