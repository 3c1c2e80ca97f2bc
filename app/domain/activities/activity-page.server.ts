import { DomainError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import type { ActivityView } from "./activities.schema";
import { getActivity } from "./activity-views.server";
import { checkInQrSvg } from "./check-in.server";
import { listRegistrants } from "./registrants.server";

// What the activity page shows beyond the activity: who sees its working figures, the registrant's
// check-in QR code, and 报名名单 for its organisers.

/** 已报名 / 候补 / 签到 / 现场 / 受众人次 are the organisers' and staff's working figures; a resident
 * sees the seats left, not them. */
const seesWorkingFigures = ({ actions }: ActivityView) =>
  actions.manage || actions.correctAttendance || actions.registerOnBehalf;

/** A manager who may not see the phones (a future rule) still gets the page, without the list. */
const noList = (error: unknown) => {
  if (error instanceof DomainError && error.code === "FORBIDDEN") return { registrants: null };
  throw error;
};

/** The activity with what this viewer may see of it; `origin` is the site's, for the QR code's link. */
export async function activityPage(actor: Actor | null, id: string, origin: string) {
  const { activity, counts } = await getActivity(actor, id);
  const code = activity.myRegistration?.checkInCode;
  return {
    activity,
    counts: seesWorkingFigures(activity) ? counts : null,
    qrSvg: code ? await checkInQrSvg(origin, activity.id, code) : null,
    // 报名名单 with phones, for the activity's organisers only (the policy decides, #15 item 11).
    registrants:
      actor && activity.actions.manage
        ? (await listRegistrants(actor, activity.id).catch(noList)).registrants
        : null,
  };
}
