/**
 * Zod compiles object parsers with `new Function` when it may; in the browser
 * the Content-Security-Policy forbids eval (no 'unsafe-eval'), and even zod's
 * probe for it is reported as a violation. Every shared module that defines
 * zod schemas imports this one first, so whichever of them a browser bundle
 * holds, zod parses without eval there.
 */
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });
