import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvField, csvSections, csvTable } from "~/lib/csv";
import { attachmentDisposition } from "~/lib/download";
import { xlsxWorkbook } from "~/lib/xlsx.server";

// The statistics exports' writers: CSV that Excel opens with Chinese intact (BOM, CRLF, RFC 4180)
// and that cannot smuggle a formula in; XLSX with real numbers; Chinese download names.

describe("csvField", () => {
  it("quotes fields with a comma, a quote or a line break, doubling quotes", () => {
    expect(csvField("阳光助老服务社")).toBe("阳光助老服务社");
    expect(csvField("助浴,理发")).toBe('"助浴,理发"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField("一\r\n二")).toBe('"一\r\n二"');
    expect(csvField("一\n二")).toBe('"一\n二"');
    expect(csvField("")).toBe("");
    expect(csvField(null)).toBe("");
  });

  it("puts an apostrophe before text a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://x","点我")')).toBe('"\'=HYPERLINK(""http://x"",""点我"")"');
    expect(csvField("+86 138")).toBe("'+86 138");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    // Only at the start: the same characters inside text are harmless.
    expect(csvField("a=b-c+d@e")).toBe("a=b-c+d@e");
  });

  it("writes numbers as numbers, negative ones included", () => {
    expect(csvField(0)).toBe("0");
    expect(csvField(12345)).toBe("12345");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(85.7)).toBe("85.7");
    expect(csvField(Number.NaN)).toBe("");
  });
});

describe("csvTable and csvSections", () => {
  const table = {
    title: "活动清单",
    headers: ["活动名称", "报名"],
    rows: [
      ["茶话会,义诊", 12],
      ["=1+1", null],
    ],
  };

  it("starts with a BOM, ends lines with CRLF and puts the header first", () => {
    const text = csvTable(table);
    expect(text.startsWith("\uFEFF活动名称,报名\r\n")).toBe(true);
    expect(text).toBe('\uFEFF活动名称,报名\r\n"茶话会,义诊",12\r\n\'=1+1,\r\n');
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it("writes several tables each under a title row, separated by a blank line, one BOM", () => {
    const text = csvSections([
      { title: "总体", headers: ["指标", "数值"], rows: [["活动场次(场)", 3]] },
      { title: "按月份", headers: ["月份", "活动场次(场)"], rows: [["2026-03", 3]] },
    ]);
    expect(text).toBe(
      "\uFEFF总体\r\n指标,数值\r\n活动场次(场),3\r\n\r\n按月份\r\n月份,活动场次(场)\r\n2026-03,3\r\n",
    );
    expect(text.match(/\uFEFF/g)).toHaveLength(1);
  });
});

describe("xlsxWorkbook", () => {
  it("writes one worksheet per table with a bold header, numeric cells and text kept as text", async () => {
    const body = await xlsxWorkbook([
      {
        title: "总体",
        headers: ["指标", "数值"],
        rows: [
          ["受众人次", 25012],
          ["满意度", null],
        ],
      },
      { title: "按类别/月份", headers: ["类别", "需求提出(件)"], rows: [["=1+1", 2]] },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body.buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["总体", "按类别 月份"]);
    const [overall, byCategory] = workbook.worksheets;
    expect(overall?.getRow(1).values).toEqual([undefined, "指标", "数值"]);
    expect(overall?.getRow(1).font?.bold).toBe(true);
    expect(overall?.getCell("B2").value).toBe(25012);
    expect(overall?.getCell("B3").value).toBeNull();
    expect(overall?.getColumn(1).width).toBeGreaterThanOrEqual(10);
    // Text that looks like a formula stays text: XLSX keeps formulas apart from values.
    expect(byCategory?.getCell("A2").value).toBe("=1+1");
    expect(byCategory?.getCell("A2").type).toBe(ExcelJS.ValueType.String);
  });
});

describe("attachmentDisposition", () => {
  it("gives an ASCII fallback and the Chinese name percent-encoded as UTF-8", () => {
    expect(attachmentDisposition("统计-明湖区(试点)-2026.csv", "stats-figures-2026.csv")).toBe(
      "attachment; filename=\"stats-figures-2026.csv\"; filename*=UTF-8''" +
        "%E7%BB%9F%E8%AE%A1-%E6%98%8E%E6%B9%96%E5%8C%BA%28%E8%AF%95%E7%82%B9%29-2026.csv",
    );
    expect(attachmentDisposition("x", 'a"b\\c统计')).toBe(
      "attachment; filename=\"a_b_c__\"; filename*=UTF-8''x",
    );
  });
});
