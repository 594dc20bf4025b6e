// A vitest setup file: keys made in tests hash with scrypt N = 2^10 instead of production's 2^14,
// 16 times less CPU per key made and per first use (hundreds of each in a run). The hash's format and
// the whole verification path are the same; test/rest/secrets.test.ts checks production's cost.
import { setKeyHashCost } from "../../src/services/access-keys";

setKeyHashCost(1024);
