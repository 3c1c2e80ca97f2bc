import { demoAccountsMarkdown } from "../prisma/demo-territory";

// Prints docs/demo-accounts.md for the default admin credentials.
process.stdout.write(demoAccountsMarkdown({ phone: "13800000000", password: "sanshe-admin-2026" }));
