// The Content-Types each upload format takes: the routes check them and /openapi.json lists them, from these lists.
import { XLSX_MEDIA_TYPE } from "./xlsx-codec";

/** application/json and any `+json` type (matched as a suffix). */
export const JSON_UPLOAD_TYPES = ["application/json", "+json"];

/** curl sends application/x-www-form-urlencoded with --data-binary unless told otherwise: the seed's CSV example does. */
export const CSV_UPLOAD_TYPES = [
  "text/csv",
  "application/csv",
  "text/plain",
  "application/vnd.ms-excel",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
];

export const XLSX_UPLOAD_TYPES = [XLSX_MEDIA_TYPE, "application/octet-stream", "application/x-www-form-urlencoded"];
