import { DELETED_PHONE_PREFIX } from "~/lib/masking";

// The privacy notice's version and the marks a deleted account leaves behind (ADR 0013). Shared by
// the server and the pages, so nothing here may read the database.

/** Bump when the notice at /privacy changes in substance; consent records the version agreed to. */
export const PRIVACY_NOTICE_VERSION = "2026-11-26";

/** Whether the person has yet to agree to the current notice: accounts opened through the API
 * without `privacyConsent`, staff accounts opened by an admin, and everyone after the notice changes. */
export const needsPrivacyConsent = (person: { privacyNoticeVersion: string | null }) =>
  person.privacyNoticeVersion !== PRIVACY_NOTICE_VERSION;

/** What a deleted account is called wherever its rows still show (a need's requester, a desk list). */
export const DELETED_USER_NAME = "已注销用户";

/** The phone column of a deleted account: unique (it carries the user id), never a valid mobile
 * number, so nobody can sign in with it and the real number is free to register again. */
export const deletedPhoneOf = (userId: string) => `${DELETED_PHONE_PREFIX}${userId}`;
