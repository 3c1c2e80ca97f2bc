import { Field } from "./form";

type Row = { indicator: string; max: string };

/** The indicator rows of the 评估 form (name, score, maximum) and of the district's 默认评估指标
 * (name, maximum): one fieldset, each row's errors beside its fields, the list's own error below. */
export function IndicatorRows({
  list,
  rows,
  hint,
  errors,
  typed,
}: {
  list: "scores" | "indicators";
  rows: Row[];
  hint: string;
  errors: Record<string, string> | undefined;
  /** What was typed before a failed submit: the fields show it instead of the rows' own values. */
  typed: Record<string, string> | undefined;
}) {
  const listError = errors?.[list];
  const value = (name: string, fallback: string) => (typed ? (typed[name] ?? "") : fallback);
  return (
    <fieldset
      id={list}
      className={`field choice-group indicator-rows${list === "scores" ? " indicator-rows--scored" : ""}`}
      aria-describedby={listError ? `${list}-error` : undefined}
    >
      <legend>评估指标</legend>
      <p className="field__hint">{hint}</p>
      {rows.map((row, index) => (
        <div key={`row-${index.toString()}`} className="indicator-row">
          <Field
            name={`${list}.${index}.indicator`}
            label={`指标${index + 1}名称`}
            maxLength={40}
            defaultValue={value(`${list}.${index}.indicator`, row.indicator)}
            errors={errors}
          />
          {list === "scores" ? (
            <Field
              name={`scores.${index}.score`}
              label={`指标${index + 1}得分`}
              inputMode="numeric"
              maxLength={4}
              defaultValue={value(`scores.${index}.score`, "")}
              errors={errors}
            />
          ) : null}
          <Field
            name={`${list}.${index}.max`}
            label={`指标${index + 1}满分`}
            inputMode="numeric"
            maxLength={4}
            defaultValue={value(`${list}.${index}.max`, row.max)}
            errors={errors}
          />
        </div>
      ))}
      {listError ? (
        <p className="field__error" id={`${list}-error`}>
          {listError}
        </p>
      ) : null}
    </fieldset>
  );
}
