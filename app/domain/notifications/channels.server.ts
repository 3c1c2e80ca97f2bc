import type { Tx } from "~/lib/db.server";

// How a notification reaches people. In-app (the notification centre) is the one channel today; an
// SMS or WeChat channel implements the same interface and is added to NOTIFICATION_CHANNELS. A
// channel that talks to an outside service should enqueue a job from `deliver` (ids only) rather
// than call out inside the caller's transaction.

export type OutgoingNotification = {
  userIds: readonly string[];
  kind: string;
  title: string;
  body: string;
  link: string | null;
  /** The same key for the same recipient is delivered once, however often a job retries. */
  dedupeKey: string;
};

export interface NotificationChannel {
  readonly name: string;
  deliver(tx: Tx, notification: OutgoingNotification): Promise<void>;
}

export const inAppChannel: NotificationChannel = {
  name: "in-app",
  async deliver(tx, notification) {
    const { userIds, ...message } = notification;
    await tx.notification.createMany({
      data: [...new Set(userIds)].map((userId) => ({ userId, ...message })),
      skipDuplicates: true,
    });
  },
};

export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = [inAppChannel];

/** A one-time code for one person (a password reset code, ADR 0028), in the clear: the store keeps
 * only its hash, so this is the one moment it exists. */
export type OneTimeCode = {
  userId: string;
  purpose: "password-reset";
  code: string;
  expiresAt: Date;
};

/** What became of the code: handed to the staff member issuing it, to give to the person they are
 * facing, or sent to the person's own device (the staff member never sees it). */
export type CodeDelivery = { via: "in-person"; code: string } | { via: "device" };

/** A channel that can carry a one-time code to its person. The notification centre cannot: someone
 * locked out of their account cannot read it.
 *
 * The SMS route (not built: no deployment has an SMS provider yet) is a channel with
 * `name: "sms"` whose `deliverOneTimeCode` reads the person's phone by `userId`, sends the code
 * through the provider's API and answers `{ via: "device" }`. It sends from the request itself,
 * after the code's transaction has committed: a job would have to carry the code in its payload,
 * and payloads hold ids only. It then becomes ONE_TIME_CODE_CHANNEL, and the staff page says that
 * the code was sent instead of showing it. A public "send me a code" endpoint on top of it needs
 * its own per-phone and per-IP limits (each SMS costs money and reaches a real phone). */
export interface OneTimeCodeChannel {
  readonly name: string;
  deliverOneTimeCode(code: OneTimeCode): Promise<CodeDelivery>;
}

/** The community worker verifies the person face to face and reads the code out or writes it down;
 * nothing leaves the platform. */
export const inPersonChannel: OneTimeCodeChannel = {
  name: "in-person",
  async deliverOneTimeCode({ code }) {
    return { via: "in-person", code };
  },
};

export const ONE_TIME_CODE_CHANNEL: OneTimeCodeChannel = inPersonChannel;
