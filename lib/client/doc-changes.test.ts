import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { followDocChanges } from "./doc-changes";

describe("followDocChanges", () => {
  it("hears each transaction that changed the doc, local or applied, without an update listener", () => {
    const doc = new Y.Doc();
    let heard = 0;
    const stop = followDocChanges(doc, () => heard++);
    const observers = (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
    expect(observers.get("update")?.size ?? 0).toBe(0);

    doc.getMap("m").set("a", 1);
    doc.transact(() => {}); // changes nothing
    const other = new Y.Doc();
    other.getMap("m").set("b", 2);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    doc.getMap("m").delete("a");
    expect(heard).toBe(3);

    stop();
    doc.getMap("m").set("c", 3);
    expect(heard).toBe(3);
  });
});
