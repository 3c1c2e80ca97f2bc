import { createContext, useContext } from "react";

/** The per-request CSP nonce, so Remix's inline scripts may run under the Content-Security-Policy. */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
