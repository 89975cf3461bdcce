// The conversion worker's entry: the app runs TypeScript through tsx, and so
// does this thread (see lib/server/imports/convert.ts).
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
