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
