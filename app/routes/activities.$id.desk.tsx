import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { activityLinks, CountsList, formatClock, formatTimeRange } from "~/components/activities";
import { Field, FormMessage } from "~/components/form";
import { TableScroll } from "~/components/table-scroll";
import {
  CHECK_IN_OPENS_BEFORE_MS,
  checkInSchema,
  WALK_INS_PER_SEAT,
  walkInStepSchema,
  walkInsCeiling,
  walkInsSchema,
} from "~/domain/activities/activities.schema";
import { getActivity } from "~/domain/activities/activity-views.server";
import { checkIn, listDesk, setWalkIns, stepWalkIns } from "~/domain/activities/check-in.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import { DomainError, validationError } from "~/lib/errors";
import { formatTime } from "~/lib/format";

// 签到台: the organiser's phone at the door. A typed code, or the code from a registrant's QR code
// (its link opens this page with ?code=, and only the 确认签到 button checks in: a GET never does).
// Not nested under the activity page (there is no activities.$id layout route, only
// activities.$id._index), so it links the activities styles itself.

export const meta: MetaFunction = () => [{ title: "签到台 · 社区活动" }];
export const links = activityLinks;

const CODE = /^\d{6}$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const id = params.id ?? "";
    // A draft or unknown activity is 404 to outsiders; a published one is 403 to non-organisers.
    const { activity, counts } = await getActivity(actor, id);
    const rows = (await listDesk(actor, id)).map((row) => ({
      ...row,
      checkedInClock: row.checkedInAt ? formatClock(row.checkedInAt) : null,
    }));
    const code = new URL(request.url).searchParams.get("code")?.trim() ?? "";
    const scanned = CODE.test(code) ? code : "";
    const opensAt = new Date(new Date(activity.startsAt).getTime() - CHECK_IN_OPENS_BEFORE_MS);
    return {
      activity,
      counts,
      rows,
      scanned,
      scannedRow: scanned ? (rows.find((row) => row.checkInCode === scanned) ?? null) : null,
      deskOpen: activity.actions.checkIn && opensAt.getTime() <= Date.now(),
      // Times for people are formatted here, so the server's and the browser's rendering agree.
      opensText: formatTime(opensAt),
      locksText: formatTime(activity.attendanceLocksAt),
      timeText: formatTimeRange(activity.startsAt, activity.endsAt),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  return runIntent(request, {
    checkIn: async (form) => {
      const { code } = parseInput(checkInSchema, form);
      try {
        const row = await checkIn(actor, id, code);
        return `已签到：${row.name} ${row.phoneMasked}`;
      } catch (error) {
        // A wrong code is a typing slip: said beside the box, not as a 404 page.
        if (error instanceof DomainError && error.code === "NOT_FOUND") {
          throw validationError({ code: error.message }, error.message);
        }
        throw error;
      }
    },
    walkIns: async (form) => {
      const { count } = parseInput(walkInsSchema, form);
      const counts = await setWalkIns(actor, id, count);
      return `现场人数已记为 ${counts.walkIns} 人，受众共 ${counts.personTimes} 人次。`;
    },
    walkInStep: async (form) => {
      const { step } = parseInput(walkInStepSchema, form);
      const counts = await stepWalkIns(actor, id, step);
      return `现场人数${step > 0 ? "+1" : "−1"}，现在共 ${counts.walkIns} 人，受众共 ${counts.personTimes} 人次。`;
    },
  });
}

export default function DeskPage() {
  const { activity, counts, rows, scanned, scannedRow, deskOpen, opensText, locksText, timeText } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string) => (failed?.values.intent === intent ? failed.fieldErrors : undefined);
  const lastIntent = result?.ok ? result.intent : failed?.values.intent;
  // After a post the box is emptied for the next person, unless the code was wrong (to correct it).
  const typedCode = failed?.values.intent === "checkIn" ? failed.values.code : undefined;
  const codeValue = result ? (typedCode ?? "") : scanned;
  const codeBox = useRef<HTMLInputElement>(null);
  // After every check-in answer the box is ready for the next person: emptied (a wrong code stays,
  // to be corrected) and focused. The key below remounts the box only when its starting value
  // changes, which a second code checked in like the first does not (issue #15, item 12).
  useEffect(() => {
    const box = codeBox.current;
    if (!box || !result || lastIntent !== "checkIn") return;
    box.value = typedCode ?? "";
    box.focus();
  }, [result, lastIntent, typedCode]);
  const desk = `/activities/${activity.id}/desk`;
  const codeError = errorsFor("checkIn")?.code;
  const registered = rows.filter((row) => row.status === "REGISTERED");
  const waitlisted = rows.filter((row) => row.status === "WAITLISTED");
  return (
    <section className="stack" aria-labelledby="desk-title">
      <p>
        <Link to={`/activities/${activity.id}`}>← 返回活动详情</Link>
      </p>
      <h1 id="desk-title">签到台</h1>
      <p className="lead">
        {activity.title}
        <br />
        {timeText} · {activity.venue}
      </p>
      {lastIntent === "checkIn" || lastIntent === "walkIns" || lastIntent === "walkInStep" ? (
        <div className="desk-result">
          <FormMessage tone="success" message={result?.ok ? result.message : null} takeFocus={false} />
          <FormMessage message={failed?.formError} takeFocus={false} />
        </div>
      ) : (
        <FormMessage message={failed?.formError} />
      )}
      {!activity.actions.checkIn ? (
        <p className="activity-notice" role="note">
          {activity.status === "FINISHED"
            ? `活动结束已超过24小时（${locksText} 起），签到和现场人数已锁定。如需更正，请街道或区管理员在活动页填写原因后更正。`
            : `该活动${activity.statusLabel}，不能签到。`}
        </p>
      ) : !deskOpen ? (
        <p className="activity-notice" role="note">
          {`签到在活动开始前2小时开放（${opensText} 起）。`}
        </p>
      ) : null}

      {/* Before check-in opens (or once it is locked) there is no code box: a code typed into it
          would only be refused (issue #15, item 12). The notice above says when it opens. The box
          comes before the figures, so it is on a phone's first screen in 适老化 mode too. */}
      {deskOpen ? (
        <Form method="post" action={desk} className="card desk-form" aria-labelledby="code-title" noValidate>
          {/* Typing, the box's own label says it all: the heading is for screen readers only, which
              keeps the box on a phone's first screen in 适老化 mode. A scanned code is named. */}
          <h2 id="code-title" className={scanned && !result ? undefined : "visually-hidden"}>
            {scanned && !result ? "扫码签到" : "输入签到码"}
          </h2>
          <input type="hidden" name="intent" value="checkIn" />
          {scanned && !result ? (
            <p>
              {scannedRow
                ? `${scannedRow.name}（${scannedRow.phoneMasked}）${scannedRow.checkedInAt ? "已经签到过了" : "，请核对本人后确认签到"}`
                : "这个签到码不在报名名单里，请核对。"}
            </p>
          ) : null}
          <div className={codeError ? "field field--invalid" : "field"}>
            <label htmlFor="code">6位签到码</label>
            <input
              // The key resets the box when its starting value changes (its value is a default, not
              // controlled); the effect above empties it after each check-in.
              key={`code-${codeValue}-${result ? "posted" : "fresh"}`}
              ref={codeBox}
              id="code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              pattern="[0-9]*"
              maxLength={6}
              defaultValue={codeValue}
              aria-invalid={codeError ? true : undefined}
              aria-describedby={codeError ? "code-error" : undefined}
              // The desk does one thing: the cursor waits in the box for the next code.
              // biome-ignore lint/a11y/noAutofocus: the page's only task is typing this code
              autoFocus
            />
            {codeError ? (
              <p className="field__error" id="code-error">
                {codeError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button--primary button--big button--block">
            {scanned && !result ? "确认签到" : "签到"}
          </button>
        </Form>
      ) : null}

      <CountsList
        label="签到情况"
        counts={counts}
        order={[
          ["registered", "已报名"],
          ["checkedIn", "已签到"],
          ["waitlisted", "候补"],
          ["walkIns", "现场"],
          ["personTimes", "受众人次"],
        ]}
      />
      <section className="card" aria-labelledby="walk-ins-title">
        <h2 id="walk-ins-title">现场人数</h2>
        <p className="desk-walk-ins__total">
          现在共 <strong>{counts.walkIns}</strong> 人
        </p>
        <p>
          {`没有报名、直接来参加的人：每来一人按「+1」，按多了按「−1」。最多为名额的${WALK_INS_PER_SEAT}倍（本场最多${walkInsCeiling(activity.capacity)}人）。活动结束24小时后不能再改。`}
        </p>
        {deskOpen ? (
          <>
            <Form method="post" action={desk} className="desk-steps" noValidate>
              <input type="hidden" name="intent" value="walkInStep" />
              <button
                type="submit"
                name="step"
                value="-1"
                className="button button--big"
                aria-label="现场人数减1"
                disabled={counts.walkIns === 0}
              >
                −1
              </button>
              <button
                type="submit"
                name="step"
                value="1"
                className="button button--primary button--big"
                aria-label="现场人数加1"
              >
                +1
              </button>
            </Form>
            {errorsFor("walkInStep")?.step ? (
              <p className="field__error" role="alert">
                {errorsFor("walkInStep")?.step}
              </p>
            ) : null}
            {/* The total typed at once (after counting a queue, or to correct it), as the API sets it. */}
            <Form method="post" action={desk} noValidate>
              <input type="hidden" name="intent" value="walkIns" />
              <Field
                key={`walk-ins-${counts.walkIns}`}
                name="count"
                label="现场人数"
                hint="填总数，不是新增的人数"
                type="text"
                inputMode="numeric"
                maxLength={6}
                defaultValue={
                  failed?.values.intent === "walkIns" ? failed.values.count : String(counts.walkIns)
                }
                errors={errorsFor("walkIns")}
              />
              <button type="submit" className="button">
                保存现场人数
              </button>
            </Form>
          </>
        ) : null}
      </section>

      <section aria-labelledby="roster-title">
        <h2 id="roster-title">{`报名名单（${registered.length} 人报名，${waitlisted.length} 人候补）`}</h2>
        {rows.length === 0 ? (
          <p className="card">还没有人报名。</p>
        ) : (
          <TableScroll labelledBy="roster-caption">
            <table className="table desk-table">
              <caption id="roster-caption" className="visually-hidden">
                报名名单
              </caption>
              <thead>
                <tr>
                  <th scope="col">姓名</th>
                  <th scope="col">手机</th>
                  <th scope="col">签到</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      {row.name}
                      {row.onBehalf ? <small>（代办）</small> : null}
                    </td>
                    <td>{row.phoneMasked}</td>
                    {/* One column for where each person stands: four columns squeezed names and
                        statuses to one character a line on a phone in 适老化 mode (issue #15). */}
                    <td>
                      {row.status === "WAITLISTED" ? (
                        `候补第 ${row.waitlistPosition ?? ""} 位`
                      ) : row.checkedInClock ? (
                        `已签到 ${row.checkedInClock}`
                      ) : row.status === "REGISTERED" && row.checkInCode && deskOpen ? (
                        // For someone who forgot the code: the organiser checks them in from the list.
                        <Form method="post" action={desk} className="inline-form">
                          <input type="hidden" name="intent" value="checkIn" />
                          <input type="hidden" name="code" value={row.checkInCode} />
                          <button type="submit" className="button" aria-label={`为${row.name}签到`}>
                            签到
                          </button>
                        </Form>
                      ) : (
                        "未签到"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </section>
  );
}
