import { z } from "~/lib/zod";

// The shape of 下载我的数据 (GET /api/v1/me/export): everything held about the signed-in person and
// nothing about anyone else (ADR 0013). Described here so the OpenAPI document states it exactly.

const time = z.string().describe("ISO 8601");
const optionalTime = time.nullable();

const place = z.object({ id: z.string(), name: z.string() });

export const myDataSchema = z.object({
  exportedAt: time,
  account: z.object({
    id: z.string(),
    name: z.string(),
    /** Unmasked: it is the person's own number. */
    phone: z.string(),
    community: place.nullable(),
    createdAt: time,
    updatedAt: time,
    privacyConsentAt: optionalTime,
    privacyNoticeVersion: z.string().nullable(),
  }),
  roles: z.array(
    z.object({
      role: z.string(),
      roleLabel: z.string(),
      scopeType: z.string(),
      scope: place,
      grantedAt: time,
    }),
  ),
  needs: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      category: z.string(),
      categoryName: z.string(),
      community: place,
      urgency: z.string(),
      preferredTime: z.string().nullable(),
      status: z.string(),
      statusLabel: z.string(),
      /** Entered by a community worker on the person's behalf (代办). */
      onBehalf: z.boolean(),
      /** The name the person gave at a 代办 desk outside their own community (ADR 0018), if any. */
      requesterNameGiven: z.string().nullable(),
      closeReason: z.string().nullable(),
      rating: z.number().nullable(),
      ratingComment: z.string().nullable(),
      createdAt: time,
      matchedAt: optionalTime,
      fulfilledAt: optionalTime,
      cancelledAt: optionalTime,
      closedAt: optionalTime,
      matches: z.array(
        z.object({
          id: z.string(),
          status: z.string(),
          statusLabel: z.string(),
          providerName: z.string(),
          serviceTitle: z.string(),
          note: z.string().nullable(),
          declineReason: z.string().nullable(),
          createdAt: time,
          decidedAt: optionalTime,
        }),
      ),
    }),
  ),
  registrations: z.array(
    z.object({
      id: z.string(),
      activity: z.object({
        id: z.string(),
        title: z.string(),
        community: place,
        venue: z.string(),
        startsAt: time,
        endsAt: time,
      }),
      status: z.string(),
      statusLabel: z.string(),
      checkInCode: z.string(),
      /** Registered by staff on the person's behalf (代办). */
      onBehalf: z.boolean(),
      /** The name staff typed at the desk when registering the person (代办报名), if any. */
      nameGiven: z.string().nullable(),
      queuedAt: time,
      promotedAt: optionalTime,
      cancelledAt: optionalTime,
      checkedInAt: optionalTime,
      createdAt: time,
    }),
  ),
  /** Venue bookings the person made (issue 19). */
  bookings: z.array(
    z.object({
      id: z.string(),
      venue: z.object({ id: z.string(), name: z.string(), address: z.string() }),
      status: z.string(),
      statusLabel: z.string(),
      channel: z.string().nullable(),
      startsAt: time,
      endsAt: time,
      groupName: z.string(),
      expectedPersons: z.number(),
      contactName: z.string(),
      contactPhone: z.string(),
      purpose: z.string(),
      reason: z.string().nullable(),
      attended: z.number().nullable(),
      createdAt: time,
    }),
  ),
  notifications: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      body: z.string(),
      link: z.string().nullable(),
      readAt: optionalTime,
      createdAt: time,
    }),
  ),
  providerMemberships: z.array(
    z.object({
      provider: place.extend({ kind: z.string(), status: z.string() }),
      role: z.string(),
      joinedAt: time,
    }),
  ),
  /** Sign-ins on the web and API tokens; the secrets themselves are never stored in the clear. */
  sessions: z.array(
    z.object({
      kind: z.string(),
      current: z.boolean(),
      createdAt: time,
      lastUsedAt: time,
      expiresAt: time,
      revokedAt: optionalTime,
    }),
  ),
  /** What the person did, as the audit log records it (ids and codes). */
  auditEntries: z.array(
    z.object({ action: z.string(), targetType: z.string(), targetId: z.string(), createdAt: time }),
  ),
});
export type MyData = z.infer<typeof myDataSchema>;

// Consent given after sign-up (ADR 0013).

const AGREEMENT_REQUIRED = "请阅读并勾选同意《隐私政策》";

/** Agreeing to the current notice after sign-up (POST /api/v1/me/privacy-consent). */
export const privacyConsentSchema = z.object({
  privacyConsent: z.literal(true, { error: AGREEMENT_REQUIRED }),
});

/** The same on the /privacy page: the checkbox (value "yes") must be ticked. */
export const privacyConsentFormSchema = z.object({
  privacyConsent: z.literal("yes", { error: AGREEMENT_REQUIRED }),
});

/** What was recorded. */
export const privacyConsentRecordSchema = z.object({
  privacyConsentAt: time,
  privacyNoticeVersion: z.string(),
});
