/**
 * In-text links (footnote references, "back to text") inside the editor:
 * an editable ProseMirror view does not follow links on click, so we do,
 * through the location hash (which scrolls and lights up the :target).
 */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";

/** Follows `#…` links in the text on click and on Enter. */
export const FootnoteLinks = Extension.create({
  name: "footnoteLinks",
  addProseMirrorPlugins() {
    const follow = (target: EventTarget | null) => {
      const link = (target as HTMLElement | null)?.closest?.("a[href^='#']");
      if (!link) return false;
      const href = link.getAttribute("href") as string;
      if (window.location.hash === href)
        document.getElementById(href.slice(1))?.scrollIntoView({ block: "center" });
      else window.location.hash = href;
      return true;
    };
    return [
      new Plugin({
        key: new PluginKey("footnoteLinks"),
        props: {
          handleDOMEvents: {
            click: (_view, event) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey) return false;
              if (!follow(event.target)) return false;
              event.preventDefault();
              return true;
            },
          },
        },
      }),
    ];
  },
});
