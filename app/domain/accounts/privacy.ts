import { DELETED_PHONE_PREFIX } from "~/lib/masking";

// The privacy notice's version and the marks a deleted account leaves behind (ADR 0013). Shared by
// the server and the pages, so nothing here may read the database.

/** Bump when the notice at /privacy changes in substance; consent records the version agreed to. */
export const PRIVACY_NOTICE_VERSION = "2026-11-26";

/** What a deleted account is called wherever its rows still show (a need's requester, a desk list). */
export const DELETED_USER_NAME = "已注销用户";

/** The phone column of a deleted account: unique (it carries the user id), never a valid mobile
 * number, so nobody can sign in with it and the real number is free to register again. */
export const deletedPhoneOf = (userId: string) => `${DELETED_PHONE_PREFIX}${userId}`;
