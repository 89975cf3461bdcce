/** Anchors for tests, made as the browser makes them. */
export { anchorOnPhrase as anchorOn } from "../../lib/server/annotations/anchor-on-phrase";
