// `npm run schema`: writes the built schema to schema.graphql, the SDL that tooling and reviews read.
import fs from "node:fs";
import path from "node:path";
import { printRegsyncSchema } from "./build-schema";

const file = path.resolve(__dirname, "../../../schema.graphql");
fs.writeFileSync(file, printRegsyncSchema());
console.log(`wrote ${file}`);
