import { afterAll, expect, it } from "vitest";
import { sharedEnv } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { closeQueues, queue } from "~/queue/queues.server";

// REDIS_KEY_PREFIX keeps deployments (and parallel test workers) sharing one Redis database apart:
// our own keys and BullMQ's both start with it.

afterAll(closeQueues);

it("puts REDIS_KEY_PREFIX in front of our own keys and the queues'", async () => {
  const prefix = sharedEnv().REDIS_KEY_PREFIX;
  expect(prefix).not.toBe("");
  await redis().set("probe", "1");
  await queue("maintenance").add("heartbeat", {});
  // KEYS takes a pattern, which the client does not prefix; the keys it answers carry the prefix.
  const keys = await redis().keys(`${prefix}*`);
  expect(keys).toContain(`${prefix}probe`);
  expect(keys.filter((key) => key.startsWith(`${prefix}bull:maintenance:`))).not.toEqual([]);
  expect(await redis().get("probe")).toBe("1");
});
