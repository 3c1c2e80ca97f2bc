/** Liveness: the process is up and serving. */
export const loader = () => Response.json({ status: "ok" });
