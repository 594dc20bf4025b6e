// Reading and writing workbooks in the tests of test/rest/xlsx.test.ts: a request answering its body as bytes,
// a workbook's cell values, and a workbook made from typed values.
import ExcelJS from "exceljs";

export interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
  json: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  let json: unknown;
  if (/json/.test(response.headers.get("content-type") ?? "")) json = JSON.parse(body.toString("utf8"));
  return { status: response.status, headers: response.headers, body, json };
}

/** A workbook's first sheet as rows of cell values (ExcelJS reading the whole file). */
export async function sheetValues(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** A workbook made by ExcelJS from rows of typed values, as a spreadsheet program would save them. */
export async function workbookOf(
  rows: (ExcelJS.CellValue | undefined)[][],
  dateFormat = "yyyy-mm-dd",
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Sheet1");
  rows.forEach((values, i) => {
    values.forEach((value, j) => {
      if (value === undefined) return;
      const cell = sheet.getCell(i + 1, j + 1);
      cell.value = value;
      if (value instanceof Date) cell.numFmt = dateFormat;
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
