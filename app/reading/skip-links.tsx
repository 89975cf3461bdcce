"use client";

/**
 * “Skip to the text” and “Skip to the margin”, first in the reading page's tab
 * order (after the site-wide “Skip to content”): each moves focus, not only the
 * scroll position — to the live text's editor when it is there, else to the
 * column itself.
 */
export function SkipLinks() {
  const skip = (event: React.MouseEvent<HTMLAnchorElement>, selectors: string[]) => {
    for (const selector of selectors) {
      const target = document.querySelector<HTMLElement>(selector);
      if (!target || target.closest("[hidden]")) continue;
      event.preventDefault();
      if (!target.hasAttribute("tabindex") && !target.isContentEditable) target.tabIndex = -1;
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
      return;
    }
  };
  return (
    <nav className="skip-links" aria-label="Skip links">
      <a
        className="skip-link"
        href="#reading-column"
        onClick={(event) => skip(event, [".live-text .ProseMirror", "#reading-column"])}
      >
        Skip to the text
      </a>
      <a className="skip-link" href="#margin-column" onClick={(event) => skip(event, ["#margin-column"])}>
        Skip to the margin
      </a>
    </nav>
  );
}
